// Prints the per-operation summary after a run that included the contract project, and writes it to a file
// (reports/contract-summary.md) for CI artifacts. Registered by the contract project's block in
// vitest.config.ts (reporters are a root option; the block adds its own through a plugin hook).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Reporter, TestModule, TestSuite, Vitest } from 'vitest/node';
import { loadSpec, specPath } from '../lib/spec.js';
import type { ContractContext } from '../setup/context.js';
import { keyOfName, type Outcome, summarize, type TargetInfo, type TestOutcome } from './summary.js';

export default class ContractSummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  constructor(private readonly options: { outputFile?: string } = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: readonly TestModule[]): void {
    const modules = testModules.filter((m) => m.project.name === 'contract');
    if (modules.length === 0 || !this.vitest) return;
    const context = modules[0]?.project.getProvidedContext().contract as ContractContext | undefined;
    const tests: TestOutcome[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const key = keyOfName(test.name);
        if (!key) continue;
        const state = test.result().state;
        const outcome: Outcome = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
        tests.push({ target: targetOf(test.parent), key, outcome });
      }
    }
    // A filtered run without contract cases (e.g. only the meta-tests) has nothing to summarize.
    if (tests.length === 0) return;
    const text = summarize(loadSpec(context?.specPath ?? specPath()), tests, describeTargets(context));
    this.vitest.logger.log(`\n${text}\n`);
    if (this.options.outputFile) {
      const file = resolve(this.vitest.config.root, this.options.outputFile);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `# Contract summary\n\n\`\`\`text\n${text}\n\`\`\`\n`);
    }
  }
}

/** The first word of the test's top-level suite: `mock`, `negative`, `proxy` or `live`. */
function targetOf(parent: TestSuite | TestModule): string {
  let suite: TestSuite | TestModule = parent;
  while (suite.type === 'suite' && suite.parent.type === 'suite') suite = suite.parent;
  return suite.type === 'suite' ? (suite.name.split(/[:\s]/)[0] ?? suite.name) : 'other';
}

function describeTargets(context: ContractContext | undefined): TargetInfo[] {
  if (!context) return [];
  const live = context.live;
  return [
    { name: 'mock', describe: 'SDK → prism mock --errors, each status forced with Prefer' },
    { name: 'negative', describe: 'raw requests (no token, what the SDK refuses) → prism mock --errors' },
    { name: 'proxy', describe: `SDK → prism proxy --errors → local ${context.local.upstream}` },
    {
      name: 'live',
      describe: live.enabled
        ? `SDK → prism proxy --errors → ${live.baseUrl}${live.topup ? ' (topup on)' : ` (topup skipped: ${live.topupReason})`}`
        : `skipped: ${live.reason}`,
    },
  ];
}
