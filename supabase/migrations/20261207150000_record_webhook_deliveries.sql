-- Webhook intake records the deliveries of one turn of the event loop in one round trip (issue
-- 13: the speed target). Under load, dozens of deliveries reach "record" together; each was its
-- own RPC through the REST gateway (a request, a transaction, a connection checkout). The intake
-- now sends them as one array, as it already does for "mark sent" and the Inngest event sends.
--
-- Nothing about one delivery changes: each element goes through public.record_webhook_delivery
-- (tenant verdict, dedupe insert under the unique key, event data, last_event_at), in one
-- transaction for the batch. Elements are taken in (provider, provider event id) order so two
-- concurrent batches holding the same two event ids wait on each other's inserts in the same
-- order and cannot deadlock. A batch that fails as a whole records nothing (one transaction);
-- the intake then records each of its deliveries alone, so a bad element costs only itself.
--
-- Security: `security definer` with an empty search_path, executable by the service role only
-- (the webhook intake's audited admin client), like record_webhook_delivery.

create function public.record_webhook_deliveries(p_deliveries jsonb)
returns table (
  -- the element's position in p_deliveries (0-based): results come back in processing order
  idx integer,
  delivery_id uuid,
  inserted boolean,
  status text,
  organization_id uuid,
  integration_id uuid,
  ignored_reason text,
  event_data jsonb,
  send_attempts integer
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item record;
  v_row record;
begin
  if p_deliveries is null or jsonb_typeof(p_deliveries) <> 'array' then
    raise exception 'p_deliveries must be a json array' using errcode = '22023';
  end if;
  if jsonb_array_length(p_deliveries) > 200 then
    raise exception 'at most 200 deliveries per call' using errcode = '22023';
  end if;

  for v_item in
    select e.value as d, (e.ord - 1)::integer as i
      from jsonb_array_elements(p_deliveries) with ordinality as e(value, ord)
     order by e.value ->> 'provider', e.value ->> 'provider_event_id', e.ord
  loop
    if jsonb_typeof(v_item.d) <> 'object' then
      raise exception 'delivery % is not an object', v_item.i using errcode = '22023';
    end if;
    select * into strict v_row
      from public.record_webhook_delivery(
        (v_item.d ->> 'id')::uuid,
        v_item.d ->> 'provider',
        v_item.d ->> 'provider_event_id',
        v_item.d ->> 'event_type',
        v_item.d ->> 'tenant_kind',
        v_item.d ->> 'tenant_key',
        v_item.d ->> 'ignored_reason',
        coalesce(v_item.d -> 'event', '{}'::jsonb)
      );
    idx := v_item.i;
    delivery_id := v_row.delivery_id;
    inserted := v_row.inserted;
    status := v_row.status;
    organization_id := v_row.organization_id;
    integration_id := v_row.integration_id;
    ignored_reason := v_row.ignored_reason;
    event_data := v_row.event_data;
    send_attempts := v_row.send_attempts;
    return next;
  end loop;
end;
$$;

comment on function public.record_webhook_deliveries(jsonb) is
  'Webhook intake: record_webhook_delivery for each element of a json array ({id, provider, provider_event_id, event_type, tenant_kind, tenant_key, ignored_reason, event}), in one transaction, in (provider, provider_event_id) order; one result row per element with its 0-based idx. Service role only.';
revoke all on function public.record_webhook_deliveries(jsonb) from public, anon, authenticated;
grant execute on function public.record_webhook_deliveries(jsonb) to service_role;
