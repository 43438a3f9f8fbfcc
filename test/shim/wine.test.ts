// The shim on 64-bit Windows, under wine (the suite is in wine-suite.ts).

import { unavailable } from '../helpers/requirements.js';
import { describeWineShim } from './wine-suite.js';

describeWineShim('win64', unavailable('wine', 'mingw-x64', 'gcc'));
