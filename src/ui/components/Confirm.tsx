// The one-line review dialogs in the status line: the destructive-approval confirmation (Cancel focused
// first; no letter approves), the reason and count prompts, and the export format choice.
import { Text } from 'ink';
import { breakdown, REPAIR_KINDS, type RepairEffect } from '../../engine/index.js';
import type { Dialog } from '../../console/ui-state.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';

function Button({ label, focused, theme }: { label: string; focused: boolean; theme: Theme }) {
  return (
    <Text inverse={focused} bold={focused} color={focused ? undefined : theme.tone('dim')}>
      {focused ? `[ ${label} ]` : `  ${label}  `}
    </Text>
  );
}

/** What approving a repair of each effect does to its bead, as the confirmation says it. */
const WHAT: Record<RepairEffect, string> = { close: 'closes bead', unassign: 'unassigns work', change: 'changes bead' };

export function Confirm({ dialog, theme }: { dialog: Dialog; theme: Theme }) {
  switch (dialog.kind) {
    case 'confirm': {
      const r = dialog.repair;
      const what = `${WHAT[REPAIR_KINDS[r.kind].effect]} ${clean(r.beadId)}`;
      return (
        <Text>
          <Text bold color={theme.tone('error')}>{`Approve ${clean(r.id)}? It ${what}; this cannot be undone. `}</Text>
          <Button label="Cancel" focused={dialog.focus === 'cancel'} theme={theme} />
          <Text> </Text>
          <Button label="Approve" focused={dialog.focus === 'approve'} theme={theme} />
        </Text>
      );
    }
    case 'reason':
      return (
        <Text>
          <Text bold color={theme.tone('accent')}>{`Reject ${clean(dialog.repair.id)} — reason (optional, enter records): `}</Text>
          {clean(dialog.text)}
          <Text inverse> </Text>
        </Text>
      );
    case 'count': {
      const n = dialog.repairs.length;
      return (
        <Text>
          <Text bold color={theme.tone('warn')}>{`Type ${n} to approve ${breakdown(dialog.repairs)} (esc cancels): `}</Text>
          {clean(dialog.text)}
          <Text inverse> </Text>
        </Text>
      );
    }
    case 'export':
      return (
        <Text>
          <Text bold color={theme.tone('accent')}>
            {dialog.what === 'snapshot' ? 'Export a snapshot as: ' : 'Export the rows of this view as: '}
          </Text>
          {dialog.options.map((o, i) => (
            <Text key={o}>
              <Button label={o} focused={i === dialog.focus} theme={theme} />
              <Text> </Text>
            </Text>
          ))}
        </Text>
      );
  }
}
