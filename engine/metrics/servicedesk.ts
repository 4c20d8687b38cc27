// Service desk licensing, Alemba Service Manager (metrics.md, "Service desk licensing").

import type { Device, Installation, Session, User } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { NONE, unit, type MetricRule } from './rule';
import { deviceRef, userRef } from './common';
import { intervals, explainPeak, sessionFeed } from './concurrent';
import { peak } from './common';
import { scopedDevice } from './install';

const SERVICE_MANAGER = 'service manager';
const needsAnalystLicense = (u: User) => u.role === 'analyst' || u.role === 'external contact';

export const SERVICEDESK_RULES: MetricRule[] = [
  /** asm_analyst: distinct active users whose role is analyst or external contact; self-service users never need one. */
  {
    id: 'asm_analyst',
    scope: 'user',
    user: (w, p, u) => (u.active && needsAnalystLicense(u) && w.inUserScope(p, u) ? u : null),
    evaluate(_w, _p, key, _m, why) {
      const u = key as User;
      why?.push({ ref: userRef(u), amount: 1, why: u.role });
      return unit(1);
    },
  },
  /**
   * asm_concurrent: peak(sessions for the product by analysts or external contacts, 1). Each client
   * session (Core, Nano) holds its own license. The session's user must be on the users sheet to
   * have a role; one who has since become inactive still used the license then, so still counts.
   */
  {
    id: 'asm_concurrent',
    scope: 'user',
    session: (w: World, p: Position, s: Session) => {
      const u = w.user(s.userId);
      return u && needsAnalystLicense(u) ? sessionFeed(w, p, s) : null;
    },
    evaluate(w, _p, _key, m, why) {
      const { sorted, list } = intervals(w, m.sessions ?? NONE, () => 1, undefined, why);
      const pk = peak(list, false);
      explainPeak(why, sorted, pk, 'analyst client sessions');
      return pk.value > 0 ? unit(pk.value) : null;
    },
  },
  /** asm_site: distinct devices with environment production that have a matching installation. */
  {
    id: 'asm_site',
    scope: 'device',
    install: (w, p, i) => {
      const d = scopedDevice(w, p, i);
      return d && d.environment === 'production' ? d : null;
    },
    evaluate(_w, _p, key, _m, why) {
      why?.push({ ref: deviceRef(key as Device), amount: 1, why: 'production server' });
      return unit(1);
    },
  },
  /**
   * asm_connector: distinct products among the matching installations, leaving out Service Manager
   * itself and the free connectors of settings.asmFreeConnectors (whole names).
   */
  {
    id: 'asm_connector',
    scope: 'device',
    install: (w, p, i: Installation) => {
      if (i.product === SERVICE_MANAGER || w.settings.asmFreeConnectors.has(i.product)) return null;
      return scopedDevice(w, p, i) ? `p:${i.product}` : null;
    },
    evaluate(_w, _p, _key, m, why) {
      const inst = m.inst ?? NONE;
      if (inst.length === 0) return null;
      if (why) {
        // Named after its first installation in sheet order, whatever order the members came in.
        let first = inst[0];
        for (const i of inst) if (i.key < first.key) first = i;
        why.push({ ref: `installations/${first.id}`, amount: 1, why: `connector ${first.productName} (${inst.length} installation(s))` });
      }
      return unit(1);
    },
  },
];
