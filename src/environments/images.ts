// Image overrides by container name, as Kustomize's `images` does by image name: a new tag or
// digest, and optionally a new repository, for every container of that name in the included task
// definitions (or in one, when the override names it). An override that matches no container is an
// error: a misspelt name would otherwise deploy the base's image without a word.
import type { Diagnostic } from '../core/types.js';
import { didYouMean } from '../desired/messages.js';
import { diagnosticAt } from './locator.js';
import type { ImageEntry } from './model.js';
import { childSite, identityOf, placeOf, textOf, type ListNode, type MapNode, type Node, type ScalarNode } from './tree.js';

/** What an override sets (values substituted). */
export interface ImageChange {
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * The image with the override applied. An image is `name[:tag][@digest]`, where a `:` before the last
 * `/` belongs to a registry's port. A new tag drops the digest; a digest drops the tag.
 */
export function overrideImage(image: string, change: ImageChange): string {
  const at = image.indexOf('@');
  let name = at === -1 ? image : image.slice(0, at);
  let digest = at === -1 ? undefined : image.slice(at + 1);
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  if (change.newName !== undefined) name = change.newName;
  if (change.newTag !== undefined) [tag, digest] = [change.newTag, undefined];
  if (change.digest !== undefined) [tag, digest] = [undefined, change.digest];
  return `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

/** A rendered document that image overrides and patches replace the tree of. */
export interface ImageTarget {
  tree: Node;
}

/**
 * Applies every override (`nodes`: each entry with its values substituted) to the task definitions
 * among `docs`, in place of their trees; pushes an error for each override that matches nothing
 * (unless `tellUnmatched` is false: what it should match may be in what could not be read).
 */
export function applyImages(docs: ImageTarget[], images: readonly ImageEntry[], nodes: readonly MapNode[], prefix: string, errors: Diagnostic[], tellUnmatched = true): void {
  const taskDefinitions = docs.filter((d): d is { tree: MapNode } => d.tree.type === 'map' && identityOf(d.tree).kind === 'TaskDefinition');
  const nameOf = (d: ImageTarget) => identityOf(d.tree).name;
  images.forEach((image, i) => {
    const node = nodes[i]!;
    if (node.origin.failed || [...node.entries.values()].some((n) => n.origin.failed)) return; // its reference is told already
    const change: ImageChange = {};
    for (const key of ['newName', 'newTag', 'digest'] as const) {
      const value = textOf(node, key);
      if (value !== undefined) change[key] = value;
    }
    // The field a message about the new image points at: what the override sets, tag or digest first.
    const setter = (node.entries.get('newTag') ?? node.entries.get('digest') ?? node.entries.get('newName')) as ScalarNode;
    const scope = image.taskDefinition === undefined ? taskDefinitions : taskDefinitions.filter((d) => nameOf(d) === image.taskDefinition);
    if (image.taskDefinition !== undefined && scope.length === 0) {
      if (tellUnmatched) errors.push(diagnosticAt(childSite(image.at, 'taskDefinition'), prefix, `no TaskDefinition named ${JSON.stringify(image.taskDefinition)} is included${didYouMean(image.taskDefinition, taskDefinitions.map(nameOf).filter((n): n is string => n !== undefined))}`));
      return;
    }
    let matched = 0;
    const seen: string[] = [];
    for (const doc of scope) {
      const spec = doc.tree.entries.get('spec');
      const containers = spec?.type === 'map' ? spec.entries.get('containerDefinitions') : undefined;
      if (spec?.type !== 'map' || containers?.type !== 'list') continue;
      const items = containers.items.map((container): Node => {
        const name = textOf(container, 'name');
        if (name !== undefined) seen.push(name);
        if (container.type !== 'map' || name !== image.container) return container;
        matched++;
        const current = container.entries.get('image');
        if (current?.origin.failed) return container; // its reference is told already
        if (current?.type !== 'scalar' || typeof current.value !== 'string') {
          errors.push(diagnosticAt(container.origin.at, prefix, `container ${JSON.stringify(name)} has no image for the override at ${image.at.locator.file}:${image.at.locator.at(image.at.pointer).line} to change`));
          return container;
        }
        const replaced: ScalarNode = {
          type: 'scalar',
          value: overrideImage(current.value, change),
          origin: { ...setter.origin, change: { by: 'image', base: placeOf(current), added: false } },
        };
        return { ...container, entries: new Map(container.entries).set('image', replaced) };
      });
      const list: ListNode = { ...containers, items };
      doc.tree = { ...doc.tree, entries: new Map(doc.tree.entries).set('spec', { ...spec, entries: new Map(spec.entries).set('containerDefinitions', list) }) };
    }
    if (matched === 0 && tellUnmatched) errors.push(diagnosticAt(childSite(image.at, 'container'), prefix, `no container named ${JSON.stringify(image.container)} in the included task definitions${didYouMean(image.container, seen)}`));
  });
}
