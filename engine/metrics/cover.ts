// Minimum vertex cover of the (user, device) pairs of Citrix per user/device licensing: the fewest
// users and devices to license so that every pair has a licensed side. On a bipartite graph its
// size equals a maximum matching (König); the cover is read off the matching.

import type { Device, User } from '../rows';
import type { RowKey } from '../cells';

export interface Cover {
  users: User[];
  devices: Device[];
}

const byKey = <T extends { key: RowKey }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Pairs with a missing side force their present side into the cover. */
export function minimumCover(pairs: readonly [User | null, Device | null][]): Cover {
  const forcedUsers = new Set<User>(), forcedDevices = new Set<Device>();
  for (const [u, d] of pairs) {
    if (u && !d) forcedUsers.add(u);
    if (d && !u) forcedDevices.add(d);
  }
  // Edges not already covered by a forced vertex, between distinct users and devices.
  const adjacency = new Map<User, Set<Device>>();
  for (const [u, d] of pairs) {
    if (!u || !d || forcedUsers.has(u) || forcedDevices.has(d)) continue;
    let set = adjacency.get(u);
    if (!set) adjacency.set(u, (set = new Set()));
    set.add(d);
  }
  // Sorted, so the cover chosen (not only its size) is the same however the pairs arrived.
  const left = [...adjacency.keys()].sort(byKey);
  const adj = left.map((u) => [...adjacency.get(u)!].sort(byKey));
  const { matchL, matchR } = maximumMatching(left, adj);

  // König: Z = vertices reachable from unmatched users by alternating paths;
  // cover = users not in Z, and devices in Z.
  const seenL = new Set<number>(), seenR = new Set<Device>();
  const stack: number[] = [];
  left.forEach((_, k) => { if (matchL[k] === null) { seenL.add(k); stack.push(k); } });
  const index = new Map(left.map((u, k) => [u, k]));
  while (stack.length) {
    const k = stack.pop()!;
    for (const d of adj[k]) {
      if (seenR.has(d) || matchL[k] === d) continue;
      seenR.add(d);
      const back = matchR.get(d);
      if (back !== undefined && !seenL.has(index.get(back)!)) {
        const kb = index.get(back)!;
        seenL.add(kb);
        stack.push(kb);
      }
    }
  }
  const users = [...forcedUsers, ...left.filter((_, k) => !seenL.has(k))].sort(byKey);
  const devices = [...forcedDevices, ...[...seenR]].sort(byKey);
  return { users, devices };
}

/** Hopcroft–Karp maximum matching. */
function maximumMatching(left: User[], adj: Device[][]): { matchL: (Device | null)[]; matchR: Map<Device, User> } {
  const matchL: (Device | null)[] = left.map(() => null);
  const matchR = new Map<Device, User>();
  const index = new Map(left.map((u, k) => [u, k]));
  const dist: number[] = new Array(left.length);
  const INF = Number.MAX_SAFE_INTEGER;

  const bfs = (): boolean => {
    const queue: number[] = [];
    for (let k = 0; k < left.length; k++) {
      if (matchL[k] === null) { dist[k] = 0; queue.push(k); } else dist[k] = INF;
    }
    let found = false;
    for (let q = 0; q < queue.length; q++) {
      const k = queue[q];
      for (const d of adj[k]) {
        const back = matchR.get(d);
        if (back === undefined) found = true;
        else {
          const kb = index.get(back)!;
          if (dist[kb] === INF) { dist[kb] = dist[k] + 1; queue.push(kb); }
        }
      }
    }
    return found;
  };

  // Iterative DFS along layered alternating paths.
  const augment = (root: number): boolean => {
    const path: number[] = [root];
    const next: number[] = [0];
    while (path.length) {
      const k = path[path.length - 1];
      const at = next[next.length - 1];
      if (at >= adj[k].length) {
        dist[k] = INF;
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = at + 1;
      const d = adj[k][at];
      const back = matchR.get(d);
      if (back === undefined) {
        // Flip the path: each user on it takes the device it stepped through.
        let dev: Device = d;
        for (let p = path.length - 1; p >= 0; p--) {
          const u = path[p];
          const prev = matchL[u];
          matchL[u] = dev;
          matchR.set(dev, left[u]);
          if (prev === null) break;
          dev = prev;
        }
        return true;
      }
      const kb = index.get(back)!;
      if (dist[kb] === dist[k] + 1) {
        path.push(kb);
        next.push(0);
      }
    }
    return false;
  };

  while (bfs()) for (let k = 0; k < left.length; k++) if (matchL[k] === null) augment(k);
  return { matchL, matchR };
}
