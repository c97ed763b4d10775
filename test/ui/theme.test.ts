/** The theme toggle's cycle: the system's theme until clicked, then the other one, then the system's again. */
import { describe, expect, it } from 'vitest';
import { effectiveTheme, nextChoice } from '../../src/ui/theme';

describe('theme choice', () => {
  it('cycles system → the other theme → system (no prefers-color-scheme here: dark)', () => {
    expect(effectiveTheme('system')).toBe('dark');
    expect(nextChoice('system')).toBe('light');
    expect(nextChoice('light')).toBe('system');
    expect(nextChoice('dark')).toBe('system');
    expect(effectiveTheme('light')).toBe('light');
  });
});
