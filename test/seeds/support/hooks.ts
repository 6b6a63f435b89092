/**
 * A tiny React for the source documents' hooks and components: `createElement`, function components,
 * `useState`, `useEffect`, `useRef`, `createContext`/`useContext`, rendered to text. State changes
 * re-render the root on the next microtask; effects run after each render in order, and their cleanups
 * run when their deps change or their component goes away. The text is each element's text on its own
 * line. Enough to run the documents' code as React would, nothing more.
 */
import type { Page } from './page.js';
import { Recording } from './recording.js';

type Props = Record<string, unknown> & { children?: unknown };
type Component = (props: Props) => unknown;
interface Element {
  type: string | Component | ProviderType;
  props: Props;
}
interface ProviderType {
  provider: Context;
}
interface Context {
  defaultValue: unknown;
  Provider: ProviderType;
}
interface Instance {
  hooks: unknown[];
  effects: EffectHook[];
  /** Renders the instance's root again (on the next microtask). */
  schedule: () => void;
}
interface EffectHook {
  deps: unknown[] | undefined;
  cleanup?: () => void;
  pending?: () => unknown;
}

export interface ReactRoot {
  /** The rendered text: each element's text on its own line. */
  text(): string;
  /** The text of every render, in order. */
  renders: Recording<string>;
  /** Renders again now (state changes also do it on their own). */
  flush(): Promise<void>;
  /** Unmounts: every effect's cleanup runs. */
  unmount(): void;
}

export function createReact(page: Page) {
  let current: { instance: Instance; index: number } | undefined;
  let contexts: Array<{ context: Context; value: unknown }> = [];

  function hook<T>(create: () => T): T {
    if (!current) throw new Error('hooks can only be called inside a component');
    const { instance } = current;
    const index = current.index++;
    if (instance.hooks.length <= index) instance.hooks.push(create());
    return instance.hooks[index] as T;
  }

  const React = {
    createElement(type: Element['type'], props: Props | null, ...children: unknown[]): Element {
      return {
        type,
        props: { ...props, children: children.length <= 1 ? children[0] : children },
      };
    },
    useState<T>(initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => void] {
      const { schedule } = current!.instance;
      const state = hook(() => {
        const cell = {
          value: typeof initial === 'function' ? (initial as () => T)() : initial,
          set: (next: T | ((previous: T) => T)) => {
            const value = typeof next === 'function' ? (next as (previous: T) => T)(cell.value) : next;
            if (Object.is(value, cell.value)) return;
            cell.value = value;
            schedule();
          },
        };
        return cell;
      });
      return [state.value, state.set];
    },
    useRef<T>(initial: T): { current: T } {
      return hook(() => ({ current: initial }));
    },
    useEffect(effect: () => unknown, deps?: unknown[]): void {
      const instance = current!.instance;
      const state = hook<EffectHook>(() => {
        const created: EffectHook = { deps: undefined };
        instance.effects.push(created);
        return created;
      });
      const changed =
        state.pending !== undefined ||
        deps === undefined ||
        state.deps === undefined ||
        deps.length !== state.deps.length ||
        deps.some((dep, i) => !Object.is(dep, state.deps![i]));
      if (changed) {
        state.pending = effect;
        state.deps = deps;
      }
    },
    createContext(defaultValue: unknown): Context {
      const context = { defaultValue } as Context;
      context.Provider = { provider: context };
      return context;
    },
    useContext(context: Context): unknown {
      for (let i = contexts.length - 1; i >= 0; i--)
        if (contexts[i].context === context) return contexts[i].value;
      return context.defaultValue;
    },
  };

  /** Mounts `element` and renders it; state changes render it again. */
  function render(element: Element): ReactRoot {
    const instances = new Map<string, Instance>();
    const renders = new Recording<string>();
    let text = '';
    let scheduled = false;
    let mounted = true;
    let rendering: Promise<void> = Promise.resolve();
    const schedule = () => {
      if (scheduled || !mounted) return;
      scheduled = true;
      rendering = Promise.resolve().then(() => {
        scheduled = false;
        if (mounted) commit();
      });
    };

    const renderNode = (node: unknown, path: string, seen: Set<string>): string => {
      if (node === null || node === undefined || typeof node === 'boolean') return '';
      if (Array.isArray(node))
        return node.map((child, i) => renderNode(child, `${path}.${i}`, seen)).join('');
      if (typeof node !== 'object') return String(node);
      const { type, props } = node as Element;
      // An element is a block of its own: its text on lines apart from its siblings'.
      if (typeof type === 'string') return `\n${renderNode(props.children, `${path}<${type}>`, seen)}\n`;
      if (typeof type === 'object' && 'provider' in type) {
        contexts = [...contexts, { context: type.provider, value: props.value }];
        try {
          return renderNode(props.children, `${path}<Provider>`, seen);
        } finally {
          contexts = contexts.slice(0, -1);
        }
      }
      const key = `${path}<${type.name}>`;
      seen.add(key);
      let instance = instances.get(key);
      if (!instance) {
        instance = { hooks: [], effects: [], schedule };
        instances.set(key, instance);
      }
      const outer = current;
      current = { instance, index: 0 };
      try {
        return renderNode(type(props), key, seen);
      } finally {
        current = outer;
      }
    };

    const commit = () => {
      const seen = new Set<string>();
      try {
        text = renderNode(element, '', seen)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .join('\n');
        renders.push(text);
      } catch (error) {
        page.guard(() => {
          throw error;
        });
        return;
      }
      for (const [key, instance] of instances) {
        if (seen.has(key)) continue;
        unmountInstance(instance);
        instances.delete(key);
      }
      for (const instance of instances.values()) {
        for (const effect of instance.effects) {
          const run = effect.pending;
          if (!run) continue;
          effect.pending = undefined;
          page.guard(() => effect.cleanup?.());
          page.guard(() => {
            const cleanup = run();
            effect.cleanup = typeof cleanup === 'function' ? (cleanup as () => void) : undefined;
          });
        }
      }
    };

    commit();

    return {
      text: () => text,
      renders,
      flush: async () => {
        await rendering;
        commit();
      },
      unmount: () => {
        mounted = false;
        for (const instance of instances.values()) unmountInstance(instance);
        instances.clear();
      },
    };
  }

  function unmountInstance(instance: Instance): void {
    for (const effect of instance.effects) page.guard(() => effect.cleanup?.());
    instance.effects = [];
  }

  /** The `react` module as the documents import it (default and named imports). */
  const module = { __esModule: true, default: React, ...React };
  /** `react/jsx-runtime`, which compiled JSX imports. */
  const jsx = (type: Element['type'], props: Props): Element => ({ type, props });
  const jsxRuntime = { __esModule: true, jsx, jsxs: jsx };
  return { React, module, modules: { react: module, 'react/jsx-runtime': jsxRuntime }, render };
}
