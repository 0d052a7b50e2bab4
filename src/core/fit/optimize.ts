import { choleskySolve, type Matrix, tryCholesky } from '../linalg.js';

/**
 * A negative log-likelihood in its natural parameters θ. `hess` is optional: without it the
 * Hessian is the central difference of the analytic gradient.
 */
export interface NaturalObjective {
  /** -log L(θ); +Infinity (or NaN) where θ is outside the parameter space. */
  nll(theta: Float64Array): number;
  /** The gradient of nll at θ. */
  grad(theta: Float64Array): Float64Array;
  hess?(theta: Float64Array): Matrix;
}

/** 'log' for a positive parameter (optimised as u = log θ), 'identity' for a free one. */
export type Transform = 'log' | 'identity';

export interface MinimizeOptions {
  maxIterations: number;
  /** Stop when the Newton decrement (the predicted decrease of nll) is below tolerance * max(1, |nll|). */
  tolerance: number;
  /** Stop early (not converged, message 'stopped') when this holds after an accepted step. */
  stopWhen?: (theta: Float64Array) => boolean;
}

export interface MinimizeResult {
  theta: Float64Array;
  nll: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped, in words, for a non-converged fit. */
  message?: string;
}

/** Central-difference Hessian of a gradient function (symmetrised). */
export function finiteDifferenceHessian(
  grad: (x: Float64Array) => Float64Array,
  x: Float64Array,
  relStep = 1e-5,
  scales?: ArrayLike<number>,
): Matrix {
  const p = x.length;
  const H: Matrix = [];
  for (let i = 0; i < p; i++) H.push(new Array<number>(p).fill(0));
  const xp = Float64Array.from(x);
  for (let j = 0; j < p; j++) {
    const h = relStep * (scales ? scales[j]! : Math.max(Math.abs(x[j]!), 1));
    xp[j] = x[j]! + h;
    const gp = grad(xp);
    xp[j] = x[j]! - h;
    const gm = grad(xp);
    xp[j] = x[j]!;
    for (let i = 0; i < p; i++) H[i]![j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (H[i]![j]! + H[j]![i]!);
      H[i]![j] = m;
      H[j]![i] = m;
    }
  }
  return H;
}

/** The Hessian of nll in natural parameters: analytic if given, else by differences of the gradient. */
export function naturalHessian(obj: NaturalObjective, theta: Float64Array): Matrix {
  if (obj.hess) return obj.hess(theta);
  return finiteDifferenceHessian((t) => obj.grad(t), theta, 1e-6);
}

/**
 * Minimise a negative log-likelihood by damped Newton steps (Levenberg-Marquardt damping when the
 * Hessian is not positive definite, Armijo backtracking along the step) in unconstrained coordinates:
 * positive parameters are optimised on the log scale, so no step can leave the parameter space.
 * Newton converges quadratically near the optimum, so the tolerance can sit near machine precision
 * at the cost of one or two more iterations.
 */
export function minimizeNll(
  obj: NaturalObjective,
  theta0: Float64Array,
  transforms: readonly Transform[],
  options: MinimizeOptions,
): MinimizeResult {
  const p = theta0.length;
  const toTheta = (u: Float64Array): Float64Array => {
    const t = new Float64Array(p);
    for (let i = 0; i < p; i++) t[i] = transforms[i] === 'log' ? Math.exp(u[i]!) : u[i]!;
    return t;
  };
  const u = new Float64Array(p);
  for (let i = 0; i < p; i++) u[i] = transforms[i] === 'log' ? Math.log(theta0[i]!) : theta0[i]!;
  const f = (uu: Float64Array): number => {
    const v = obj.nll(toTheta(uu));
    return Number.isNaN(v) ? Infinity : v;
  };
  const gradU = (uu: Float64Array): Float64Array => {
    const t = toTheta(uu);
    const g = obj.grad(t);
    for (let i = 0; i < p; i++) if (transforms[i] === 'log') g[i] = g[i]! * t[i]!;
    return g;
  };
  const hessU = (uu: Float64Array): Matrix => {
    if (!obj.hess) return finiteDifferenceHessian(gradU, uu);
    const t = toTheta(uu);
    const H = obj.hess(t);
    const g = obj.grad(t);
    const J = new Float64Array(p);
    for (let i = 0; i < p; i++) J[i] = transforms[i] === 'log' ? t[i]! : 1;
    const out: Matrix = [];
    for (let i = 0; i < p; i++) {
      const row = new Array<number>(p);
      for (let j = 0; j < p; j++) row[j] = J[i]! * J[j]! * H[i]![j]!;
      if (transforms[i] === 'log') row[i]! += g[i]! * t[i]!;
      out.push(row);
    }
    return out;
  };

  let fu = f(u);
  if (!Number.isFinite(fu)) {
    return {
      theta: toTheta(u),
      nll: fu,
      iterations: 0,
      converged: false,
      message: 'the starting point has no finite likelihood',
    };
  }
  let damping = 0;
  for (let it = 1; it <= options.maxIterations; it++) {
    const g = gradU(u);
    const H = hessU(u);
    let gFinite = true;
    for (let i = 0; i < p; i++) if (!Number.isFinite(g[i]!)) gFinite = false;
    if (!gFinite) {
      return {
        theta: toTheta(u),
        nll: fu,
        iterations: it,
        converged: false,
        message: 'the gradient is not finite',
      };
    }
    let accepted = false;
    let pureNewtonDecrement = Number.NaN;
    for (let attempt = 0; attempt < 24 && !accepted; attempt++) {
      const A: Matrix = H.map((row, i) => {
        const r = row.slice();
        r[i] = r[i]! + damping * Math.max(Math.abs(row[i]!), 1e-12);
        return r;
      });
      const chol = tryCholesky(A, 0);
      if (!chol.ok) {
        damping = damping === 0 ? 1e-6 : damping * 10;
        continue;
      }
      const step = choleskySolve(chol.L, g);
      for (let i = 0; i < p; i++) step[i] = -step[i]!;
      let slope = 0;
      for (let i = 0; i < p; i++) slope += g[i]! * step[i]!;
      if (damping === 0) pureNewtonDecrement = -slope / 2;
      // Converged: the full Newton step is predicted to gain less than the tolerance. Take it
      // anyway if it helps (it polishes the last digits), then stop.
      if (damping === 0 && -slope / 2 <= options.tolerance * Math.max(1, Math.abs(fu))) {
        const trial = new Float64Array(p);
        for (let i = 0; i < p; i++) trial[i] = u[i]! + step[i]!;
        const ft = f(trial);
        if (ft <= fu) {
          u.set(trial);
          fu = ft;
        }
        return { theta: toTheta(u), nll: fu, iterations: it, converged: true };
      }
      let t = 1;
      const trial = new Float64Array(p);
      for (let ls = 0; ls < 30; ls++) {
        for (let i = 0; i < p; i++) trial[i] = u[i]! + t * step[i]!;
        const ft = f(trial);
        if (ft <= fu + 1e-4 * t * slope) {
          u.set(trial);
          fu = ft;
          accepted = true;
          break;
        }
        t /= 2;
      }
      if (accepted) {
        damping = t === 1 ? (damping > 1e-6 ? damping / 10 : 0) : damping;
      } else {
        damping = damping === 0 ? 1e-6 : damping * 10;
      }
      if (damping > 1e12) break;
    }
    if (accepted && options.stopWhen?.(toTheta(u))) {
      return { theta: toTheta(u), nll: fu, iterations: it, converged: false, message: 'stopped' };
    }
    if (!accepted) {
      // No step decreases nll: at a numerical optimum if the predicted gain is at rounding level.
      const roundoff = 1e-10 * Math.max(1, Math.abs(fu));
      const converged = Number.isFinite(pureNewtonDecrement) && pureNewtonDecrement <= roundoff;
      return {
        theta: toTheta(u),
        nll: fu,
        iterations: it,
        converged,
        message: converged ? undefined : 'no step decreases the negative log-likelihood (line search failed)',
      };
    }
  }
  return {
    theta: toTheta(u),
    nll: fu,
    iterations: options.maxIterations,
    converged: false,
    message: `no convergence within maxIterations = ${options.maxIterations}`,
  };
}
