// Runs a command as the leader of its own process group and takes the group down when the test runner
// goes away, even when the runner is killed outright: the runner holds our stdin, and its end means
// nobody will stop us any more. Used for Prism so that no run leaves an orphan behind.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: guard.mjs <command> [args...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

const stopGroup = () => {
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {}
  }, 2000).unref();
};

process.stdin.on('end', stopGroup);
process.stdin.on('close', stopGroup);
process.stdin.on('error', stopGroup);
process.stdin.resume();

child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
child.on('error', (error) => {
  console.error(`guard: cannot start ${command}: ${error.message}`);
  process.exit(127);
});
