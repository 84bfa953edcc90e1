// The copy sync's work key: one SiteConfig's copies in one member.
export function copyKey(member: string, namespace: string, name: string): string {
  return `${member}\u0000${namespace}/${name}`;
}
