import { makeTempProject } from '../lib/session/temp-project.fixtures';
console.log(makeTempProject());
