/** The environment variables that configure HackMD, named in every message about them. */
export const HACKMD_ENV = {
  /** The API token (HackMD: Settings → API). A secret: read here, never logged or echoed. */
  token: "HACKMD_API_TOKEN",
  /** Test, demo and HackMD Enterprise hook: the API's base URL instead of https://api.hackmd.io/v1. */
  apiUrl: "WG_MEETINGS_HACKMD_API_URL",
  /** The operator's allow-list (see allow-list.ts). */
  allow: "WG_MEETINGS_HACKMD_ALLOW",
} as const;
