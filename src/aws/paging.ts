// The AWS SDK's paginators (paginateListServices and the like) as the adapters use them: each page's
// failure mapped by the one AWS error mapper and named by its operation, the items of every page
// collected, or each page as the items and whether another page follows.
import { toOperatorError } from './errors.js';

/** One page of a listing: its items, and whether another page follows. */
export interface Page<T> {
  items: T[];
  more: boolean;
}

/** The pages of an SDK paginator as Pages, a failure mapped (toOperatorError) under `operation`. */
export async function* pagesOf<P, T>(
  operation: string, paginator: AsyncIterable<P>, items: (page: P) => T[] | undefined, next: (page: P) => string | undefined,
): AsyncGenerator<Page<T>> {
  const pages = paginator[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<P>;
    try {
      step = await pages.next();
    } catch (err) {
      throw toOperatorError(err, operation);
    }
    if (step.done) return;
    yield { items: items(step.value) ?? [], more: next(step.value) !== undefined };
  }
}

/** Every item of every page. */
export async function allItems<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page.items);
  return out;
}
