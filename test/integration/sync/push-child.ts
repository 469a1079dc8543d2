// The pushing process of the crash tests: the real CLI, bundled once so each start is quick.
import { main } from '../../../src/main/cli/main';

void main(process.argv);
