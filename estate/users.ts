// People: mostly employees, some contractors and external users, some leavers (inactive),
// a service-desk team of analysts and external contacts (Alemba licensing).

import { Random, cumulative } from './random';
import { COMPANIES, FIRST_NAMES, LAST_NAMES, SITES } from './reference';
import type { UserColumns } from './model';
import type { Row } from './types';
import { idWidth, makeId } from './util';

const EMPLOYEE_TYPES = ['employee', 'contractor', 'consultant', 'temporary', 'part-time', 'agent', 'external'] as const;
const EMPLOYEE_TYPE_WEIGHTS = [0.85, 0.07, 0.025, 0.01, 0.015, 0.005, 0.025];
export const EXTERNAL = EMPLOYEE_TYPES.length - 1;

export function buildUsers(seed: number, count: number): { users: Row[]; usr: UserColumns; ids: string[] } {
  const rng = new Random(seed, 'users');
  const width = idWidth(count, 5);
  const siteCum = cumulative(SITES.map((s) => s.people));
  const typeCum = cumulative(EMPLOYEE_TYPE_WEIGHTS);
  const usr: UserColumns = {
    active: new Uint8Array(count), external: new Uint8Array(count), role: new Uint8Array(count),
    company: new Uint8Array(count), site: new Uint8Array(count),
  };
  const users: Row[] = new Array(count);
  const ids: string[] = new Array(count);
  // The service desk: ~1% analysts and 0.2% external contacts, all active, never external users.
  const analysts = count >= 50 ? Math.max(5, Math.round(count * 0.01)) : Math.min(2, count);
  const contacts = count >= 50 ? Math.max(2, Math.round(count * 0.002)) : 0;
  const stride = Math.max(1, Math.floor(count / Math.max(1, analysts + contacts)));
  let deskLeft = analysts + contacts;
  for (let i = 0; i < count; i++) {
    const site = rng.weighted(siteCum);
    const type = rng.weighted(typeCum);
    const desk = deskLeft > 0 && i % stride === stride - 1;
    const role = desk ? (deskLeft-- > contacts ? 1 : 2) : 0;
    const employeeType = role ? (type === EXTERNAL ? 0 : type) : type;
    const active = role > 0 || rng.chance(0.94);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const id = makeId('u', i, width);
    ids[i] = id;
    usr.active[i] = active ? 1 : 0;
    usr.external[i] = employeeType === EXTERNAL ? 1 : 0;
    usr.role[i] = role;
    usr.site[i] = site;
    usr.company[i] = SITES[site].company;
    users[i] = {
      id, name: `${first} ${last}`, company: COMPANIES[SITES[site].company], site: SITES[site].name,
      employeeType: EMPLOYEE_TYPES[employeeType], role: role === 1 ? 'analyst' : role === 2 ? 'external contact' : 'user',
      active,
    };
  }
  return { users, usr, ids };
}
