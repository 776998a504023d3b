// The help overlay's text, generated from the keymap registry so it can never drift from the keys.
import { bindingKeys, helpSections, type Scope } from '../keymap.js';

const TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  pools: 'Pools view',
  slots: 'Slots view',
  aliases: 'Aliases view',
  templates: 'Templates view',
  work: 'Work view',
  repairs: 'Repairs view (review)',
  audit: 'Audit view',
  findings: 'Findings view',
  card: 'Repair card (full height)',
  confirm: 'Confirming a destructive approval',
  input: 'Typing a reason or a count',
  choice: 'Choosing an export format',
  inspect: 'The inspect pane (y raw JSON, enter detail)',
  prompt: 'While typing a filter or command',
  help: 'In this help',
};

export interface HelpLine {
  keys: string;
  text: string;
  title: boolean;
}

const cached = new Map<boolean, HelpLine[]>();

export function helpLines(readOnly = false): HelpLine[] {
  const hit = cached.get(readOnly);
  if (hit) return hit;
  const out: HelpLine[] = [];
  for (const section of helpSections(readOnly)) {
    out.push({ keys: '', text: TITLES[section.scope], title: true });
    for (const b of section.bindings) out.push({ keys: bindingKeys(b), text: b.help, title: false });
  }
  if (readOnly)
    out.push({ keys: '', text: 'Read-only: approve, reject, skip, approve all and reopen are off (--read-only).', title: true });
  cached.set(readOnly, out);
  return out;
}

export function helpLineCount(readOnly = false): number {
  return helpLines(readOnly).length;
}
