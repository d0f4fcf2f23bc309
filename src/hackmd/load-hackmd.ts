import { HACKMD_ALLOW_ENV, readHackmdAllowList, type HackmdAllowList } from "./allow-list.js";
import { createHackmdClient, type HackmdClient, type HackmdClientOptions } from "./client.js";
import { HACKMD_ENV } from "./env.js";
import { HackmdError } from "./errors.js";

export { HACKMD_ENV } from "./env.js";

/** What to set to give the App HackMD access (for messages). */
export const HACKMD_NOT_CONFIGURED_HINT = `set ${HACKMD_ENV.token} to a HackMD API token (HackMD: Settings → API)`;

/** Options for tests: retry delays, timeout, an allow-list instead of the environment's. */
export type LoadHackmdOptions = Omit<HackmdClientOptions, "token" | "apiUrl">;

/**
 * The App's HackMD gateway: reads the token (`HACKMD_API_TOKEN`), the API URL override
 * (`WG_MEETINGS_HACKMD_API_URL`, for tests, the demo's stand-in and HackMD Enterprise) and the
 * operator's allow-list (`WG_MEETINGS_HACKMD_ALLOW`) from `env`. Asks HackMD nothing yet.
 *
 * @returns null when no token is set (HackMD is optional).
 * @throws HackmdError (`not-configured`) when the token or URL is unusable, or the allow-list
 *   is malformed (said without its text: the message may reach a public issue).
 */
export async function loadHackmd(env: NodeJS.ProcessEnv, options?: LoadHackmdOptions): Promise<HackmdClient | null> {
  const token = env[HACKMD_ENV.token]?.trim();
  if (!token) return null;
  const apiUrl = env[HACKMD_ENV.apiUrl]?.trim() || undefined;
  return createHackmdClient({ ...options, token, apiUrl, allow: options?.allow ?? allowListOf(env) });
}

function allowListOf(env: NodeJS.ProcessEnv): HackmdAllowList {
  try {
    return readHackmdAllowList(env);
  } catch {
    throw new HackmdError("not-configured", `the App's ${HACKMD_ALLOW_ENV} setting is malformed, so it uses no HackMD workspace: the App's operator must fix it`);
  }
}
