// Who I am in presence: a name and a colour, chosen once and kept in this browser.

import { createSignal } from 'solid-js';

export interface Identity {
  name: string;
  color: string;
}

// Muted, distinguishable colours that stay readable as outlines on white and as label backgrounds
// with white text.
export const PEER_COLORS = ['#2f6fb3', '#b3582f', '#2f8f5b', '#8a4fb3', '#b3304f', '#6b7a1f', '#1f7f86', '#a0702a'];

const KEY = 'reckon.me';
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Badger', 'Wren', 'Marten', 'Ibex', 'Puffin'];

function initial(): Identity {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Identity | null;
    if (v && typeof v.name === 'string' && typeof v.color === 'string') return v;
  } catch { /* fall through to a new identity */ }
  const i = crypto.getRandomValues(new Uint8Array(2));
  const me = { name: ANIMALS[i[0] % ANIMALS.length], color: PEER_COLORS[i[1] % PEER_COLORS.length] };
  localStorage.setItem(KEY, JSON.stringify(me));
  return me;
}

const [me, setMeSignal] = createSignal<Identity>(initial());
export { me };

export function setMe(next: Identity): void {
  setMeSignal(next);
  localStorage.setItem(KEY, JSON.stringify(next));
}
