/** What the Node and browser discriminator stores share: the name rule and the checked reading of a stored D. */
import { checkFileName } from '../../formats/file-name';
import { type MdanDiscriminatorJSON, MdanDiscriminator } from '../../method/mdan/discriminator';

/** A stored D is a name that is also a plain file name (Node keeps `<name>.json`). */
export function checkDiscriminatorName(name: string): string {
  return checkFileName(name, 'discriminator name');
}

/**
 * A D from its stored form; `where` names the file or record, so every failure is one line saying
 * which and what to do.
 */
export function discriminatorFromStored(json: unknown, where: string): MdanDiscriminator {
  try {
    return MdanDiscriminator.fromJSON(json as MdanDiscriminatorJSON);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`${where}: ${reason}; save the discriminator again (mdan-optimiser's saveDiscriminatorAs)`);
  }
}
