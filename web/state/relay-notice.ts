// What the page tells people when the relay closes their connection or refuses it: the relay closes
// with a code and a reason (server/context.ts CloseReason); this turns them into plain words. A
// refusal at the websocket upgrade has no reason the browser can read (it sees code 1006), so after
// repeated failures the session asks /api/whoami why (revoked, expired) and words that the same way.

export type NoticeKind = 'revoked' | 'expired' | 'room-full' | 'limited' | 'too-large' | 'refused';

export interface RelayNotice {
  kind: NoticeKind;
  /** One or two plain sentences. */
  message: string;
  /** The relay will not take this link again: the page stops reconnecting. */
  permanent: boolean;
}

const KEPT = 'Your copy stays on this device.';

const NOTICES: Record<NoticeKind, RelayNotice> = {
  revoked: { kind: 'revoked', permanent: true, message: `Your access to this workspace was revoked by someone who can edit it. ${KEPT} Ask for a new link to work with others again.` },
  expired: { kind: 'expired', permanent: true, message: `Your link to this workspace has expired. ${KEPT} Ask for a new link to work with others again.` },
  'room-full': { kind: 'room-full', permanent: false, message: 'This workspace has as many people connected as the relay allows; reconnecting when there is room.' },
  limited: { kind: 'limited', permanent: false, message: 'The relay is holding back this connection for a moment (too many requests); reconnecting.' },
  'too-large': { kind: 'too-large', permanent: false, message: `The relay refused your latest changes: this workspace is as large as the relay allows. ${KEPT}` },
  refused: { kind: 'refused', permanent: false, message: 'The relay closed the connection; reconnecting.' },
};

/** The notice for a close the relay made, or null for an ordinary close (going away, network). */
export function noticeForClose(code: number, reason: string): RelayNotice | null {
  if (code === 4403 || reason === 'revoked') return NOTICES.revoked;
  if (code === 4401 || reason === 'expired') return NOTICES.expired;
  if (code === 4503 || reason === 'room-full') return NOTICES['room-full'];
  if (reason === 'room-budget') return NOTICES['too-large'];
  if (reason === 'rate-limit' || reason === 'answer-budget' || reason === 'apply-budget') return NOTICES.limited;
  if (code === 1008 || code === 1007 || code === 1011) return NOTICES.refused;
  return null;
}

/** The notice for an API error the relay answered with (whoami after refused connections). */
export function noticeForRefusal(error: string): RelayNotice | null {
  if (error === 'revoked') return NOTICES.revoked;
  if (error === 'expired') return NOTICES.expired;
  if (error === 'too-many-connections-from-address' || error === 'too-many-connections-for-token' || error === 'room-full') return NOTICES['room-full'];
  return null;
}
