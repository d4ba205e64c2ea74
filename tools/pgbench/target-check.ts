/** The target this server benchmarks and the target names the org allows. */
export interface TargetScope {
  /** The name of the target whose URL the server was started with. */
  target: string;
  /** Names of the org's targets; a request naming any other target is refused. */
  allowedTargets: readonly string[];
}

/**
 * Why a requested target is refused, if it is: it must be one of the org's targets and,
 * since this server holds one connection URL, the one the server was started with.
 */
export function targetRefusal(
  scope: TargetScope,
  requested: string | undefined,
): string | undefined {
  if (requested === undefined || requested === scope.target) return undefined;
  if (!scope.allowedTargets.includes(requested)) {
    return `target '${requested}' is not one of the org's targets (${scope.allowedTargets.join(', ')}): pgbench only runs against targets the org names; leave target out to use '${scope.target}'`;
  }
  return `this pgbench server runs against target '${scope.target}' only; '${requested}' is served by its own pgbench server: leave target out to use '${scope.target}'`;
}
