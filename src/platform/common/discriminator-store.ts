/** What the Node and browser discriminator stores share: the name rule, the stored form and its checked reading. */
import { checkFileName } from '../../formats/file-name';
import { type MdanDiscriminatorHeader, type MdanDiscriminatorJSON, MdanDiscriminator, describeDiscriminator, discriminatorHeader } from '../../method/mdan/discriminator';
import type { StoredDiscriminator } from '../../services/discriminator-store';

/** A stored D is a name that is also a plain file name (Node keeps `<name>.json`). */
export function checkDiscriminatorName(name: string): string {
  return checkFileName(name, 'discriminator name');
}

/** A D as stored: its JSON form and when it was saved (read back by listings; loading ignores it). */
export interface StoredDiscriminatorJSON extends MdanDiscriminatorJSON {
  savedAt?: string;
}

export function storedForm(discriminator: MdanDiscriminator, now = new Date()): StoredDiscriminatorJSON {
  return { ...discriminator.toJSON(), savedAt: now.toISOString() };
}

/** The error for a name nothing is stored under; `where` is "in <folder>" or "in this browser". */
export function missingDiscriminator(name: string, where: string, known: string[]): Error {
  return new Error(`no saved discriminator named '${name}' ${where} (saved: ${known.join(', ') || 'none'}; save one with the mdan-optimiser node's saveDiscriminatorAs)`);
}

/**
 * A D from its stored form; `where` names the file or record, so every failure is one line saying
 * which and what to do.
 */
export function discriminatorFromStored(json: unknown, where: string): MdanDiscriminator {
  try {
    return MdanDiscriminator.fromJSON(json as MdanDiscriminatorJSON);
  } catch (e) {
    throw new Error(`${where}: ${reason(e)}; save the discriminator again (mdan-optimiser's saveDiscriminatorAs)`);
  }
}

/** A listing entry from a stored form (its weights unread); `savedAt` is the store's fallback when the form has none. */
export function describeStored(name: string, json: unknown, bytes: number, savedAt?: string): StoredDiscriminator {
  const own = (json as StoredDiscriminatorJSON | null)?.savedAt;
  const when = typeof own === 'string' && !Number.isNaN(Date.parse(own)) ? new Date(own).toISOString() : savedAt;
  try {
    const header = discriminatorHeader(json as MdanDiscriminatorJSON);
    return { name, bytes, ...(when ? { savedAt: when } : {}), ...header, architecture: architecture(header) };
  } catch (e) {
    return { name, bytes, ...(when ? { savedAt: when } : {}), error: reason(e) };
  }
}

function architecture({ config, sampling, inputChannels }: MdanDiscriminatorHeader): string {
  return `${describeDiscriminator(config, sampling)}${inputChannels ? ` on ${inputChannels}-channel features` : ' (never trained: no weights)'}`;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
