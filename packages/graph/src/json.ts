/** The value of a JSON text, or undefined when the text is not JSON (an empty body, an HTML error page). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // not JSON: undefined
  }
}
