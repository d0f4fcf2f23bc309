/** Thrown for any problem in a template: syntax, a refused construct, unknown field, bad helper call. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

/**
 * Thrown when a render passes one of its limits (output size, work) or a rendered issue is too
 * long for GitHub. A {@link TemplateError} by name too (`error.name` stays `"TemplateError"`):
 * alarms classify failures by name, and to the group this is a template problem like any other.
 */
export class RenderLimitError extends TemplateError {}
