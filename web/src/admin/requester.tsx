// A requester's record for staff: contact details and tickets; for administrators, the erasure, behind a
// confirmation that says what is removed and what is kept.
import { useState } from 'preact/hooks';
import type { RequesterRecord as Record } from '#shared/domain/people/requester-record.ts';
import type { ErasureResult } from '#shared/domain/privacy/erase-requester.ts';
import { request } from '../api.ts';
import type { Me } from '../auth.ts';
import { Heading, Loading, Notice, StatusBadge } from '../components.tsx';
import { dateTime, nameOf } from '../format.ts';
import { useResource, useSender } from '../load.ts';
import { onLinkClick } from '../router.ts';
import { AdminError, NotForYou } from './common.tsx';
import { ta } from './texts.ts';

export const RequesterRecord = ({ me, params }: { me: Me; params: { id?: string } }) =>
  me.role === 'requester' ? <NotForYou /> : <RecordScreen id={params.id ?? ''} />;

const RecordScreen = ({ id: first }: { id: string }) => {
  // After an erasure the same screen shows the record under its pseudonym (and the URL follows, without a
  // new screen, so the confirmation stays in view).
  const [id, setId] = useState(first);
  const record = useResource(async () => (await request<Record>(`/admin/requesters/${encodeURIComponent(id)}`)).data, [id]);
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<ErasureResult | undefined>();
  const eraser = useSender(
    async () => (await request<ErasureResult>(`/admin/requesters/${encodeURIComponent(id)}/erase`, { method: 'POST' })).data,
  );
  const data = record.data;
  const name = data?.requester.name ?? data?.requester.email ?? data?.requester.phone ?? id;

  const erase = async () => {
    const result = await eraser.run();
    if (!result) return;
    setErased(result);
    setConfirming(false);
    history.replaceState(null, '', `/requesters/${encodeURIComponent(result.pseudonym)}`);
    setId(result.pseudonym);
  };

  return (
    <section class="page">
      <Heading>
        {ta('req.title')}: {name}
      </Heading>
      {erased && <Notice kind="success">{ta('req.done', { tickets: erased.tickets })}</Notice>}
      <AdminError error={record.error} retry={() => void record.reload()} />
      {record.loading && !data && <Loading />}
      {data && (
        <>
          {data.erased && <Notice kind="info">{ta('req.erased')}</Notice>}
          {!data.erased && (
            <section class="card" aria-labelledby="contact-title">
              <h2 id="contact-title">{ta('req.contact')}</h2>
              <dl class="facts">
                {data.requester.name && (
                  <>
                    <dt>{ta('people.name')}</dt>
                    <dd>{data.requester.name}</dd>
                  </>
                )}
                {data.requester.email && (
                  <>
                    <dt>{ta('people.email')}</dt>
                    <dd>{data.requester.email}</dd>
                  </>
                )}
                {data.requester.phone && (
                  <>
                    <dt>{ta('req.phone')}</dt>
                    <dd>{data.requester.phone}</dd>
                  </>
                )}
              </dl>
            </section>
          )}
          <table class="queue record-tickets">
            <caption>{ta('req.tickets')}</caption>
            <thead>
              <tr>
                <th scope="col">{ta('req.subject')}</th>
                <th scope="col">{ta('dash.status')}</th>
                <th scope="col">{ta('dash.category')}</th>
                <th scope="col">{ta('req.created')}</th>
              </tr>
            </thead>
            <tbody>
              {data.tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <th scope="row">
                    <a href={`/agent/tickets/${ticket.id}`} onClick={onLinkClick}>
                      #{ticket.number} {ticket.subject}
                    </a>
                  </th>
                  <td>
                    <StatusBadge status={ticket.status} staff />
                  </td>
                  <td>{nameOf('categories', ticket.category)}</td>
                  <td>{dateTime(ticket.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.canErase && !data.erased && !confirming && (
            <button type="button" class="secondary danger" onClick={() => setConfirming(true)}>
              {ta('req.erase')}
            </button>
          )}
          {confirming && (
            <section
              class="card confirm-erase"
              role="alertdialog"
              aria-labelledby="erase-title"
              aria-describedby="erase-removed erase-kept"
            >
              <h2 id="erase-title">{ta('req.eraseTitle', { name })}</h2>
              <p id="erase-removed">{ta('req.removed')}</p>
              <p id="erase-kept">{ta('req.kept')}</p>
              <p>
                <strong>{ta('req.irreversible')}</strong>
              </p>
              <AdminError error={eraser.error} />
              <div class="actions">
                <button type="button" class="primary danger" disabled={eraser.busy} onClick={() => void erase()}>
                  {ta('req.confirm')}
                </button>
                <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                  {ta('req.cancel')}
                </button>
              </div>
            </section>
          )}
        </>
      )}
    </section>
  );
};
