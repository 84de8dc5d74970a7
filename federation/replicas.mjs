// Several processes of one subgraph behind the router, without a proxy: DINA_SUBGRAPH_URL_<NAME> may
// list replicas separated by commas. The router's transport gets the first; this plugin sends each
// subgraph request to the next replica in turn, and one that refuses the connection (stopped,
// restarting) is skipped for a while and the request goes to another. Only a refused connection is
// retried: the request never reached that replica, so even a mutation is safe to send elsewhere.
const RETRY_AFTER_MS = 2000; // how long a replica that refused a connection is left out

const refused = (error) => {
  for (let e = error; e; e = e.cause) if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' && e.syscall === 'connect') return true;
  return false;
};

class Replicas {
  constructor(urls) {
    this.urls = urls;
    this.next = 0;
    this.downUntil = new Map();
  }

  // Every replica once, starting with the next in turn; those marked down last.
  order() {
    const start = this.next;
    this.next = (this.next + 1) % this.urls.length;
    const turn = this.urls.map((_, i) => this.urls[(start + i) % this.urls.length]);
    const now = Date.now();
    return [...turn.filter((u) => !(this.downUntil.get(u) > now)), ...turn.filter((u) => this.downUntil.get(u) > now)];
  }
}

// { first URL: all replica URLs } from DINA_SUBGRAPH_URL_* entries with more than one URL.
export function replicaSets(env, prefix) {
  const sets = new Map();
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(prefix) || !value) continue;
    const urls = value.split(',').map((u) => u.trim()).filter(Boolean);
    if (urls.length > 1) sets.set(urls[0], new Replicas(urls));
  }
  return sets;
}

export function replicas(sets) {
  return {
    onFetch({ url, fetchFn, setFetchFn }) {
      const set = sets.get(url);
      if (!set) return;
      setFetchFn(async (_, ...rest) => {
        let last;
        for (const replica of set.order()) {
          try {
            const response = await fetchFn(replica, ...rest);
            set.downUntil.delete(replica);
            return response;
          } catch (error) {
            if (!refused(error)) throw error;
            set.downUntil.set(replica, Date.now() + RETRY_AFTER_MS);
            last = error;
          }
        }
        throw last;
      });
    },
  };
}
