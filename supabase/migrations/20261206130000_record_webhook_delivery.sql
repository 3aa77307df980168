-- Webhook intake records a verified delivery in one round trip (issue 13: p99 < 100 ms, 300/s).
-- Before this, a delivery cost a tenant lookup, the dedupe insert, a select for a duplicate's
-- state and an update of the integration's last_event_at, each its own REST request and
-- transaction. This function does all of it in one transaction, so it is also atomic: a delivery
-- is recorded together with its tenant verdict and its event data, or not at all.
--
-- Security: `security definer` with an empty search_path, executable by the service role only
-- (the webhook intake's audited admin client). It never reads the body: the caller passes the
-- fields it extracted from a delivery whose signature it already verified.

create function public.record_webhook_delivery(
  p_id uuid,
  p_provider text,
  p_provider_event_id text,
  p_event_type text,
  -- how the verified delivery names its tenant: 'integration' (Zendesk: resolved by webhook id
  -- before verification), 'account' (Intercom app id, GitHub installation id), 'organization'
  -- (Razorpay notes), 'none'
  p_tenant_kind text,
  p_tenant_key text,
  -- why a live tenant's delivery is not processed (ping, unsupported_event), or null
  p_ignored_reason text,
  -- the event data without organizationId, integrationId and deliveryId, which are added here
  p_event jsonb
) returns table (
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
  v_org uuid;
  v_integration uuid;
  v_integration_status text;
  v_reason text;
  v_status text;
  v_data jsonb;
begin
  if p_tenant_kind = 'integration' then
    select i.organization_id, i.id, i.status into v_org, v_integration, v_integration_status
      from public.integrations i
     where i.id::text = p_tenant_key and i.provider = p_provider;
  elsif p_tenant_kind = 'account' then
    -- the live row wins; an account only disconnected elsewhere is "disconnected"
    select i.organization_id, i.id, i.status into v_org, v_integration, v_integration_status
      from public.integrations i
     where i.provider = p_provider and i.external_account_id = p_tenant_key
     order by (i.status <> 'disconnected') desc, i.updated_at desc
     limit 1;
  elsif p_tenant_kind = 'organization' then
    select o.id into v_org from public.organizations o where o.id::text = p_tenant_key;
  elsif p_tenant_kind <> 'none' then
    raise exception 'unknown tenant kind %', p_tenant_kind using errcode = '22023';
  end if;

  v_reason := case
    when v_org is null then 'unknown_tenant'
    when v_integration_status = 'disconnected' then 'disconnected'
    else p_ignored_reason
  end;
  if v_reason is null then
    v_status := 'pending';
    v_data := p_event || jsonb_build_object(
      'organizationId', v_org, 'integrationId', v_integration, 'deliveryId', p_id);
  else
    v_status := 'ignored';
    if v_reason = 'unknown_tenant' then
      v_org := null;
      v_integration := null;
    end if;
  end if;

  insert into public.webhook_deliveries as d (
    id, provider, provider_event_id, event_type, organization_id, integration_id, status,
    ignored_reason, event_data
  ) values (
    p_id, p_provider, p_provider_event_id, p_event_type, v_org, v_integration, v_status,
    v_reason, v_data
  )
  on conflict on constraint webhook_deliveries_provider_event_key do nothing;

  if not found then
    -- a duplicate: report the existing row (with its event data while it is still pending, so
    -- the caller can send it again) and change nothing
    return query
      select d.id, false, d.status, d.organization_id, d.integration_id, d.ignored_reason,
             d.event_data, d.send_attempts
        from public.webhook_deliveries d
       where d.provider = p_provider and d.provider_event_id = p_provider_event_id;
    return;
  end if;

  -- "last event received" of a live integration. Every delivery of a workspace would otherwise
  -- queue on this one row's lock; at most one touch a second, and none while another
  -- transaction holds the row (it is touching it, or will be superseded within a second).
  if v_integration is not null and v_reason is distinct from 'disconnected' then
    update public.integrations i set last_event_at = now()
     where i.id = (
       select l.id from public.integrations l
        where l.id = v_integration
          and (l.last_event_at is null or l.last_event_at < now() - interval '1 second')
          for update skip locked
     );
  end if;

  return query select p_id, true, v_status, v_org, v_integration, v_reason, v_data, 0;
end;
$$;

comment on function public.record_webhook_delivery(uuid, text, text, text, text, text, text, jsonb) is
  'Webhook intake: resolves the tenant of a verified delivery, records it in webhook_deliveries under its unique provider event id (a duplicate changes nothing and is reported with its current state), builds the event data of a live delivery and touches the integration''s last_event_at, in one transaction. Service role only.';
revoke all on function public.record_webhook_delivery(uuid, text, text, text, text, text, text, jsonb)
  from public, anon, authenticated;
grant execute on function public.record_webhook_delivery(uuid, text, text, text, text, text, text, jsonb)
  to service_role;
