/** Every feed lives under this prefix: `/meetings/<owner>/<repo>/<series>.ics`. */
export const FEED_PATH_PREFIX = "/meetings/";
