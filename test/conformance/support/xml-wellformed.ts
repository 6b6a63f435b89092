/**
 * A small XML well-formedness check for the JUnit reporter's output: balanced elements, quoted
 * attributes, escaped text, and only characters XML 1.0 allows.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml))
    problems.push('character not allowed in XML');
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let match = tag.exec(body); match !== null; match = tag.exec(body)) {
    checkText(body.slice(last, match.index), problems);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  checkText(body.slice(last), problems);
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

function checkText(text: string, problems: string[]): void {
  if (text.includes('<')) problems.push(`unparsed markup: ${text.slice(0, 60)}`);
  if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) problems.push(`bare &: ${text.slice(0, 60)}`);
}
