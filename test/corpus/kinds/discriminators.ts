/**
 * Untrusted names and damaged files for `discriminators list | remove`: names that are paths, hidden,
 * folder references or unknown are refused in one line and remove nothing; a damaged stored file is
 * listed as damaged, never a crash.
 */
import type { CorpusCase } from '../case';

const KIND = 'discriminators';
const STORED = { '.cache/discriminators/kept.json': '{"kind":"mdan-discriminator"}', '.cache/outside.json': '{}', 'outside.json': '{}' };

const cases: CorpusCase[] = [
  ...(
    [
      ['a parent path', '../outside', /^error: discriminator name '\.\.\/outside' holds a folder separator; give a plain file name$/],
      ['a path two levels up', '../../outside', /holds a folder separator/],
      ['an absolute path', '/etc/passwd', /^error: discriminator name '\/etc\/passwd' holds a folder separator/],
      ['a folder reference', '..', /^error: discriminator name '\.\.' is a folder reference/],
      ['a hidden name', '.kept', /^error: discriminator name '\.kept' may hold only letters/],
      ['an option-like name', '-rf', /unknown option '-r'|discriminator name '-rf'/],
      ['a backslash path', '..\\outside', /holds a folder separator/],
      ['an unknown name', 'kep', /^error: no saved discriminator named 'kep' in .*discriminators \(saved: kept; save one with the mdan-optimiser node's saveDiscriminatorAs\)$/],
    ] as const
  ).map(([what, name, message]): CorpusCase => ({
    name: `remove ${what}`,
    kind: KIND,
    files: STORED,
    args: ['discriminators', 'remove', name],
    expect: { exitCode: /unknown option/.test(message.source) ? 2 : 1, message },
  })),
  {
    name: 'list a damaged stored file',
    kind: KIND,
    files: { '.cache/discriminators/cut.json': '{"kind": "mdan-discri', '.cache/discriminators/odd.json': '{"kind":"mdan-discriminator","config":{"channels":-1}}' },
    args: ['discriminators', 'list'],
    expect: { exitCode: 0, message: /^cut\t\d+ B\tdamaged: discriminator file '.*cut\.json' is not valid JSON: save the discriminator again .*\tsaved / , noOutput: true },
  },
  {
    name: 'list a stored file with a bad config',
    kind: KIND,
    files: { '.cache/discriminators/odd.json': '{"kind":"mdan-discriminator","config":{"channels":-1,"seed":1},"inputChannels":null,"tensors":{}}' },
    args: ['discriminators', 'list'],
    expect: { exitCode: 0, message: /^odd\t\d+ B\tdamaged: discriminator channels must be an integer >= 1, got -1\tsaved /, noOutput: true },
  },
];

export { cases };
