import log1pmx from '@stdlib/math-base-special-log1pmx';
import { logGammaPrefix } from '../../../src/core/distributions/continuous-util.js';
for (const t of [-3.3e-4, -0.0168, 0.04, 0.3, -0.4]) console.log(t, log1pmx(t).toPrecision(17));
for (const x of [999.666, 983.178, 1000, 1040.734]) console.log(x, logGammaPrefix(1000, x).toPrecision(17));
