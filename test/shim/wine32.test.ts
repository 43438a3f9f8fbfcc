// The shim on 32-bit Windows, under 32-bit wine: the same suite as wine.test.ts, with the header shim, the
// IAT-hook DLL and granule-run.exe built by i686 mingw, in a 32-bit prefix.

import { unavailable } from '../helpers/requirements.js';
import { describeWineShim } from './wine-suite.js';

describeWineShim('win32', unavailable('wine', 'wine32', 'mingw-x86', 'gcc'));
