/** The editor's memory of how fast each backend ran here (feeds the time estimates). */
import { describe, expect, it } from 'vitest';
import { SpeedMemory } from '../../src/ui/store/speed';
import { speedWords } from '../../src/ui/store/estimates';

function fakeStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('SpeedMemory', () => {
  it('uses the table until a run is measured, then the measurement, kept across sessions', () => {
    const storage = fakeStorage();
    const memory = new SpeedMemory(storage);
    expect(memory.speed('wasm')).toMatchObject({ factor: 1, source: 'table' });
    expect(memory.speed('webgpu')).toBeUndefined();
    let notified = 0;
    memory.subscribe(() => notified++);
    memory.record('webgpu', 0.05);
    expect(notified).toBe(1);
    expect(memory.speed('webgpu')).toMatchObject({ factor: 0.05, source: 'measured', runs: 1, note: 'measured here over 1 run' });
    expect(new SpeedMemory(storage).speed('webgpu')).toMatchObject({ factor: 0.05, runs: 1 });
  });

  it('ignores nonsense measurements and damaged storage', () => {
    const memory = new SpeedMemory(fakeStorage({ 'mgan-studio:backend-speed': '{"wasm":{"factor":-1,"runs":2},"cpu":"x"' }));
    expect(memory.speed('wasm')).toMatchObject({ source: 'table' });
    memory.record('wasm', Number.NaN);
    memory.record('wasm', 0);
    expect(memory.speed('wasm')).toMatchObject({ source: 'table' });
  });
});

describe('speedWords', () => {
  it('says slower or faster than the reference machine, never a bare factor', () => {
    expect(speedWords(2.78)).toBe('2.8x slower than the reference machine');
    expect(speedWords(0.5)).toBe('2.0x faster than the reference machine');
    expect(speedWords(1.02)).toBe('about as fast as the reference machine');
  });
});
