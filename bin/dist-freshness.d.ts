/** Types of dist-freshness.js (plain JavaScript: bin/ runs before any TypeScript loader). */
export function distIsFresh(root: string): boolean;
