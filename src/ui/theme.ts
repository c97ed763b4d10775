/**
 * Light or dark: by default the editor follows the system's `prefers-color-scheme`; the toolbar's
 * toggle picks one for good (kept in localStorage). The choice sets `data-theme` on the page's root,
 * which the stylesheet's colour variables read.
 */
import { useEffect, useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'mgan-studio:theme';
const listeners = new Set<() => void>();
const query = () => globalThis.matchMedia?.('(prefers-color-scheme: light)');

function readChoice(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

let choice: ThemeChoice = readChoice();

/** The theme a choice means now (the system's, for 'system'). */
export function effectiveTheme(c: ThemeChoice = choice): Theme {
  return c === 'system' ? (query()?.matches ? 'light' : 'dark') : c;
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') globalThis.localStorage?.removeItem(KEY);
    else globalThis.localStorage?.setItem(KEY, next);
  } catch {
    // Storage disabled: the choice holds for this page.
  }
  for (const l of listeners) l();
}

/** The next choice of the toolbar's toggle: system → the other theme than the system's → system. */
export function nextChoice(c: ThemeChoice): ThemeChoice {
  if (c !== 'system') return 'system';
  return effectiveTheme('system') === 'light' ? 'dark' : 'light';
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  const media = query();
  media?.addEventListener('change', l);
  return () => {
    listeners.delete(l);
    media?.removeEventListener('change', l);
  };
};

/** The current choice and the theme it means, kept on the page's root as `data-theme`. */
export function useTheme(): { choice: ThemeChoice; theme: Theme } {
  const c = useSyncExternalStore(subscribe, () => choice);
  const theme = useSyncExternalStore(subscribe, () => effectiveTheme(c));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return { choice: c, theme };
}
