// Nodes across members: `member/node` in spec.nodes and in status.
import { MEMBER_NODE_SEPARATOR } from './keys.js';

/** A node of `spec.nodes`: in one member, or (member undefined) in whichever member has it. */
export interface NodeRef {
  member?: string;
  node: string;
}

/** `member-2/edge-17` -> {member, node}; `edge-17` -> {node}; undefined when it is neither. */
export function parseNodeRef(entry: string): NodeRef | undefined {
  const parts = entry.split(MEMBER_NODE_SEPARATOR);
  if (parts.some((part) => part === '') || parts.length > 2) return undefined;
  const [first, second] = parts as [string, string | undefined];
  return second === undefined ? { node: first } : { member: first, node: second };
}

/** `member/node`, as status and conflicts name a node. */
export function qualifiedNodeName(member: string, node: string): string {
  return `${member}${MEMBER_NODE_SEPARATOR}${node}`;
}
