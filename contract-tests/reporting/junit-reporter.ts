// vitest's JUnit reporter, limited to the contract project, so that reports/contract-junit.xml holds the
// contract results whether the run included the unit project or not.
import { JUnitReporter, type TestModule } from 'vitest/node';

type JUnitOptions = ConstructorParameters<typeof JUnitReporter>[0];

export default class ContractJUnitReporter extends JUnitReporter {
  constructor(options: JUnitOptions) {
    super({ suiteName: 'contract', ...options });
  }

  override async onTestRunEnd(...args: Parameters<JUnitReporter['onTestRunEnd']>): Promise<void> {
    const [modules, ...rest] = args;
    const contract = (modules as readonly TestModule[]).filter((m) => m.project.name === 'contract');
    await super.onTestRunEnd(contract, ...rest);
  }
}
