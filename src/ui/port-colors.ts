/** One colour per port type, shared by handles, wires and the legend. */
import type { PortType } from '../graph/types';

export const PORT_COLORS: Record<PortType, string> = {
  Image: '#4fa3ff',
  ImageSet: '#7b6cff',
  Features: '#ffb347',
  // The paper's Fig. 2 colours: neural patches purple, D green, G (the decoder) blue.
  Patches: '#b065e6',
  PatchSpec: '#d3a6f5',
  Discriminator: '#3fb950',
  Decoder: '#3b6fe0',
  Frames: '#c9e265',
  Number: '#b0b0b0',
};

/** The colour of a port that may accept several types: the first one listed. */
export function portColor(type: PortType | PortType[]): string {
  const first = Array.isArray(type) ? type[0] : type;
  return (first && PORT_COLORS[first]) ?? '#999';
}

export function portTypes(type: PortType | PortType[]): PortType[] {
  return Array.isArray(type) ? type : [type];
}
