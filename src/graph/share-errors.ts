/** A shared graph (link or PNG) that cannot be read; the message says why, for the user. */
export class ShareCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareCodecError';
  }
}
