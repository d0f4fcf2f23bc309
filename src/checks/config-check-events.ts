/**
 * The pull request actions that bring a new head commit to check. Apart from the check's code,
 * so that registering the handler at start-up does not load it.
 */
export const CONFIG_CHECK_PULL_REQUEST_EVENTS = ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"] as const;
