/**
 * A tiny Vue for the source document's single-file component: the options API (`data`, `methods`,
 * `mounted`, `beforeUnmount`, with `this` the instance) and a template of elements, `{{ expressions }}`
 * and `v-if`, rendered to text on demand. Enough to run that component as Vue would, nothing more.
 */
import type { Page } from './page.js';

interface ComponentOptions {
  data?: () => Record<string, unknown>;
  methods?: Record<string, (...args: unknown[]) => unknown>;
  mounted?: () => void;
  beforeUnmount?: () => void;
}

interface TemplateNode {
  tag?: string;
  condition?: string;
  text?: string;
  expression?: string;
  children: TemplateNode[];
}

export interface VueInstance {
  /** The template rendered with the instance's current state, one line per element holding text. */
  text(): string;
  unmount(): void;
}

export function mountSingleFileComponent(page: Page, source: string): VueInstance {
  const template = /<template>([\s\S]*)<\/template>/.exec(source)?.[1];
  const script = /<script>([\s\S]*?)<\/script>/.exec(source)?.[1];
  if (template === undefined || script === undefined)
    throw new Error('the component has no <template> or <script>');
  const options = page.module(script, {}).default as ComponentOptions;
  const vm: Record<string, unknown> = { ...options.data?.() };
  for (const [name, method] of Object.entries(options.methods ?? {})) vm[name] = method.bind(vm);
  const tree = parseTemplate(template);
  page.guard(() => options.mounted?.call(vm));
  return {
    text: () => renderTemplate(tree, vm),
    unmount: () => page.guard(() => options.beforeUnmount?.call(vm)),
  };
}

function evaluate(expression: string, vm: Record<string, unknown>): unknown {
  // Template expressions see the instance's properties as names, as Vue's compiled render functions do.
  return new Function('vm', `with (vm) { return (${expression}); }`)(vm);
}

function parseTemplate(template: string): TemplateNode {
  const root: TemplateNode = { tag: 'root', children: [] };
  const stack = [root];
  const token = /<\/(\w+)\s*>|<(\w+)([^>]*)>|\{\{([\s\S]*?)\}\}|([^<{]+)/g;
  for (const match of template.matchAll(token)) {
    const [, closing, opening, attributes, expression, text] = match;
    const parent = stack[stack.length - 1];
    if (closing) stack.pop();
    else if (opening) {
      const condition = /v-if="([^"]*)"/.exec(attributes)?.[1];
      const node: TemplateNode = { tag: opening, condition, children: [] };
      parent.children.push(node);
      stack.push(node);
    } else if (expression !== undefined) parent.children.push({ expression, children: [] });
    else if (text.trim() !== '') parent.children.push({ text, children: [] });
  }
  return root;
}

function renderTemplate(root: TemplateNode, vm: Record<string, unknown>): string {
  const render = (node: TemplateNode): string => {
    if (node.text !== undefined) return node.text.replace(/\s+/g, ' ');
    if (node.expression !== undefined) {
      const value = evaluate(node.expression, vm);
      return value === undefined || value === null ? '' : String(value);
    }
    if (node.condition !== undefined && !evaluate(node.condition, vm)) return '';
    return `\n${node.children.map(render).join('')}\n`;
  };
  return render(root)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}
