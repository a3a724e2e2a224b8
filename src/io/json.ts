// JSON.parse for files: a failure is one line naming the file (V8's message quotes the text
// around the error, newlines included).
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`);
  }
}
