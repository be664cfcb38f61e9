/**
 * A bounded map for caches: past `capacity` it forgets its oldest entry. Reads do not reorder
 * (a Map delete + set on every hit costs more than the occasional re-fetch of an evicted entry).
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, value);
  }
}
