// Bottleneck's light build (no Redis clustering), the one @octokit/plugin-throttling loads: the
// same module instance, so the App's limiters add no module. Its types are the full build's.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
