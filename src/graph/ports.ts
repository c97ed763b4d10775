/** Port lookups and the one rule of typed connections: the output's type must be one the input accepts. */
import { printable } from '../formats/printable';
import { describeNode } from './issues';
import type { GraphDocument, GraphNode, NodeTypeLookup, NodeTypeSpec, PortRef, PortSpec, PortType } from './types';

export function acceptedTypes(port: PortSpec): PortType[] {
  return Array.isArray(port.type) ? port.type : [port.type];
}

/** An output has exactly one type; a malformed spec listing several counts as its first. */
export function outputType(port: PortSpec): PortType {
  return acceptedTypes(port)[0];
}

export function findPort(spec: NodeTypeSpec, side: 'input' | 'output', name: string): PortSpec | undefined {
  return (side === 'input' ? spec.inputs : spec.outputs).find((p) => p.name === name);
}

export function describeTypes(types: PortType[]): string {
  return types.join(' or ');
}

export interface EdgeProblem {
  code: 'missing-node' | 'missing-port' | 'port-type';
  message: string;
  nodeId: string;
  port: string;
}

/**
 * Why an edge from → to cannot exist in `doc` (missing node, missing port, incompatible types), or
 * undefined. A node of an unknown type is taken on trust: its ports cannot be checked. Pass a map of
 * nodes by id when checking many edges of one document.
 */
export function edgeProblem(
  nodes: GraphDocument | ReadonlyMap<string, GraphNode>,
  from: PortRef,
  to: PortRef,
  types: NodeTypeLookup,
): EdgeProblem | undefined {
  const byId = nodes instanceof Map ? nodes : new Map((nodes as GraphDocument).nodes.map((n) => [n.id, n] as const));
  const [fn, fp, tn, tp] = [from.node, from.port, to.node, to.port].map((t) => printable(t));
  const fromNode = byId.get(from.node);
  if (!fromNode) return { code: 'missing-node', message: `there is no node '${fn}' (output '${fn}.${fp}')`, nodeId: from.node, port: from.port };
  const toNode = byId.get(to.node);
  if (!toNode) return { code: 'missing-node', message: `there is no node '${tn}' (input '${tn}.${tp}')`, nodeId: to.node, port: to.port };
  const fromSpec = types.get(fromNode.type);
  const toSpec = types.get(toNode.type);
  const out = fromSpec && findPort(fromSpec, 'output', from.port);
  if (fromSpec && !out) {
    const names = fromSpec.outputs.map((p) => p.name).join(', ') || 'none';
    return { code: 'missing-port', message: `${describeNode(from.node, fromNode.type)} has no output '${fp}' (outputs: ${names})`, nodeId: from.node, port: from.port };
  }
  const input = toSpec && findPort(toSpec, 'input', to.port);
  if (toSpec && !input) {
    const names = toSpec.inputs.map((p) => p.name).join(', ') || 'none';
    return { code: 'missing-port', message: `${describeNode(to.node, toNode.type)} has no input '${tp}' (inputs: ${names})`, nodeId: to.node, port: to.port };
  }
  if (out && input && !acceptedTypes(input).includes(outputType(out))) {
    return {
      code: 'port-type',
      message: `cannot connect ${outputType(out)} output '${fn}.${fp}' to ${describeTypes(acceptedTypes(input))} input '${tn}.${tp}'`,
      nodeId: to.node,
      port: to.port,
    };
  }
  return undefined;
}
