// Registers scripts/mutation-typescript-5-hooks.mjs in the process that imports it: Stryker's
// main process (stryker.config.mjs imports this file) and its checker processes (started with
// `--import` this file, through the config's checkerNodeArgs).
import { register } from "node:module";

register("./mutation-typescript-5-hooks.mjs", import.meta.url);
