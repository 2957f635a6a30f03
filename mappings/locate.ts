// Where an element of a mapping's input sits, as a path (`Claim.item[1].net`), found by identity.
// Lets $refuse take the element it is looking at instead of a path string built on every call:
// mappings stay free of positional bookkeeping, and the search runs only when something is refused.

/** What a refusal names: a path string, an input element, or [element, 'field.path']. */
export function refusalPath(at: unknown, input: unknown, rootName: string): string {
  if (typeof at === 'string') return at;
  if (Array.isArray(at) && at.length === 2 && typeof at[1] === 'string' && at[0] !== null && typeof at[0] === 'object') {
    return `${elementPath(at[0], input, rootName)}.${at[1]}`;
  }
  if (at !== null && typeof at === 'object') return elementPath(at, input, rootName);
  return rootName;
}

/** Path of `element` inside `input` by identity (depth-first); the root name when it is not there. */
function elementPath(element: object, input: unknown, rootName: string): string {
  return search(input, element, rootName) ?? rootName;
}

function search(node: unknown, element: object, path: string): string | undefined {
  if (node === element) return path;
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const found = search(node[i], element, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(node)) {
    if (child !== null && typeof child === 'object') {
      const found = search(child, element, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
