// What the page tells people when a link does not work: the relay closes a connection with a code
// and a reason (server/context.ts CloseReason); a refusal at the websocket upgrade has no reason the
// browser can read (it sees 1006), so the session then asks /api/whoami why (revoked, expired, an
// altered link, one this relay never issued, a full room) or learns that the relay cannot be reached
// at all. Each kind has its own words: what happened, and what to do next.
//
// A notice is data (kind, and a variant where one kind has several causes); the words depend on
// where the person stands (is a copy of the workspace on this device? were changes kept?), so they
// are made by `noticeText` where they are shown: a banner over a workspace that is still on screen,
// or a whole page when there is nothing to show (web/ui/LinkProblem.tsx).

export type NoticeKind =
  | 'revoked' | 'expired' | 'tampered' | 'unknown' | 'room-full' | 'unreachable'
  | 'limited' | 'too-large' | 'refused' | 'not-workbook';

export interface RelayNotice {
  kind: NoticeKind;
  /** The relay will not take this link again: the page stops reconnecting. */
  permanent: boolean;
  /** Which of a kind's causes: `unknown` has three. */
  variant?: 'not-issued' | 'wrong-workspace' | 'empty';
  /** A reason in the program's words (not-workbook: why the document cannot be read). */
  detail?: string;
}

export interface NoticeText {
  title: string;
  /** What happened. */
  message: string;
  /** What to do now. */
  next: string;
}

export interface NoticeContext {
  /** The relay's address as people know it (its host). */
  relay: string;
  /** This device holds a copy of the workspace (it can be shown, and worked on offline). */
  hasCopy: boolean;
  /** Access ended with changes the relay never received, kept on this device (workspaces.ts `ended`). */
  kept?: boolean;
}

const n = (kind: NoticeKind, permanent: boolean, extra: Partial<RelayNotice> = {}): RelayNotice => ({ kind, permanent, ...extra });

/** The notice for a close the relay made, or null for an ordinary close (going away, network). */
export function noticeForClose(code: number, reason: string): RelayNotice | null {
  if (code === 4403 || reason === 'revoked') return n('revoked', true);
  if (code === 4401 || reason === 'expired') return n('expired', true);
  if (code === 4503 || reason === 'room-full') return n('room-full', false);
  if (reason === 'room-budget') return n('too-large', false);
  if (reason === 'rate-limit' || reason === 'answer-budget' || reason === 'apply-budget') return n('limited', false);
  if (code === 1008 || code === 1007 || code === 1011) return n('refused', false);
  return null;
}

/**
 * The notice for an API refusal (whoami after a refused connection, an upload): `issued` is whoami's
 * word on a token whose MAC does not verify (server/api.ts): this relay made a token of that id, so
 * the link was altered or cut short; or it never did, so the link is another relay's.
 */
export function noticeForRefusal(error: string, issued?: boolean): RelayNotice | null {
  switch (error) {
    case 'revoked': return n('revoked', true);
    case 'expired': return n('expired', true);
    case 'malformed-token': return n('tampered', true);
    case 'bad-mac': return issued ? n('tampered', true) : n('unknown', true, { variant: 'not-issued' });
    case 'wrong-workspace': return n('unknown', true, { variant: 'wrong-workspace' });
    case 'too-many-connections-from-address': case 'too-many-connections-for-token': case 'room-full': return n('room-full', false);
    case 'rate-limited': case 'too-many-new-connections': return n('limited', false);
    default: return null;
  }
}

export const unreachable = (): RelayNotice => n('unreachable', false);
/** The relay answered, but holds no workbook under this link (yet): it keeps listening. */
export const emptyOnRelay = (): RelayNotice => n('unknown', false, { variant: 'empty' });
export const notWorkbook = (detail: string): RelayNotice => n('not-workbook', true, { detail });

const AGAIN = 'Ask the person who shared it for a new link.';

/** The words for a notice, where the person stands. */
export function noticeText(notice: RelayNotice, ctx: NoticeContext): NoticeText {
  const { relay, hasCopy, kept } = ctx;
  const ended = (title: string, message: string): NoticeText => ({
    title,
    message,
    next: kept
      ? 'You made changes here that the relay never received. They are kept on this device, hidden, until you choose: open a new edit link to this workspace here and they are sent; download them as a file; or discard them.'
      : `The copy this device held was removed. ${AGAIN}`,
  });
  switch (notice.kind) {
    case 'revoked':
      return ended('Your access to this workspace was revoked', 'Someone who can edit this workspace revoked the link you opened it with (or the link that link was made from).');
    case 'expired':
      return ended('Your link to this workspace has expired', 'The link you opened it with was made to last a limited time, and that time is over.');
    case 'tampered':
      return { title: 'This link is damaged', message: 'Part of it was changed or cut off since it was made, so it gives no access: a link works only when copied whole.', next: `${AGAIN} Copy it whole.` };
    case 'unknown':
      if (notice.variant === 'empty') {
        return { title: 'Nothing here yet', message: `${relay} has no workspace under this link: nothing has been saved to it.`, next: 'If it was made a moment ago, it opens as soon as its owner puts it on the relay (this page keeps listening). Otherwise check the link with the person who sent it.' };
      }
      if (notice.variant === 'wrong-workspace') {
        return { title: 'This link is for another workspace', message: 'The access in this link belongs to another workspace than the one in its address (the address was edited, or two links were mixed up).', next: AGAIN };
      }
      return { title: 'This relay does not know this link', message: `${relay} did not make this link. It may be a link of another Reckon relay, or one made against another data directory.`, next: `Open it on the relay it came from, or ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}` };
    case 'room-full':
      return { title: 'This workspace is full right now', message: 'As many people are connected to it as the relay allows.', next: hasCopy ? 'You can keep working: your edits are saved on this device and sent as soon as there is room (this page keeps trying).' : 'This page keeps trying and opens it as soon as someone leaves.' };
    case 'unreachable':
      return hasCopy
        ? { title: 'The relay cannot be reached', message: `${relay} does not answer: it may be down, or this device is offline.`, next: 'You can keep working: your edits are saved on this device and sent when the relay is back (this page keeps trying).' }
        : { title: 'The relay cannot be reached', message: `${relay} does not answer: it may be down, or this device is offline. Nothing of this workspace is on this device yet, so there is nothing to show.`, next: 'This page keeps trying and opens the workspace when the relay answers; or try again now.' };
    case 'limited':
      return { title: 'The relay is holding back', message: 'The relay is refusing connections from here for a moment (too many requests).', next: 'This page reconnects by itself.' };
    case 'too-large':
      return { title: 'The workspace is as large as the relay allows', message: 'The relay refused your latest changes: this workspace is at the relay\'s size limit.', next: 'Your copy stays on this device. Ask the relay\'s operator for a larger limit.' };
    case 'refused':
      return { title: 'The relay closed the connection', message: 'The relay closed the connection.', next: 'This page reconnects by itself.' };
    case 'not-workbook':
      return { title: 'This is not a Reckon workspace', message: `What is stored under this link cannot be read as a workbook${notice.detail ? ` (${notice.detail})` : ''}.`, next: `It may have been made by a newer Reckon. ${AGAIN}` };
  }
}
