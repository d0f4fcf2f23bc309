// Module resolution hook for Stryker's processes only (see docs/testing.md, "TypeScript 5 for
// Stryker"). TypeScript 7, the project's compiler, has no JavaScript API, so Stryker's code that
// imports "typescript" (the TypeScript checker and core's tsconfig rewriting) is pointed at the
// TypeScript 5.9 that package.json installs under the alias "typescript-5-for-stryker".
// Nothing else is redirected: the project's own code, its tests and `tsc` keep TypeScript 7.

const STRYKER_CODE = "/node_modules/@stryker-mutator/";

/** Resolves Stryker's `import "typescript"` to the aliased TypeScript 5; everything else as usual. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "typescript" && context.parentURL?.includes(STRYKER_CODE)) {
    return nextResolve("typescript-5-for-stryker", context);
  }
  return nextResolve(specifier, context);
}
