import { MailIcon, UsersIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { expiresIn, formatDate } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import {
  can,
  canChangeRole,
  canLeave,
  canRemoveMember,
  invitableRoles,
  isRole,
  ROLE_LABELS,
  ROLES,
} from "@/lib/auth/permissions";
import { listInvitations } from "@/lib/organizations/invitations";
import { listMembers } from "@/lib/organizations/members";
import { requireOrgPage } from "../org-pages";
import { InviteForm } from "./invite-form";
import { LeaveOrganizationButton } from "./leave-organization-button";
import { MemberActions } from "./member-actions";
import { RevokeInvitationButton } from "./revoke-invitation-button";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, role, user, supabase } = await requireOrgPage(slug, "members");
  const [members, invitations] = await Promise.all([
    listMembers(supabase, org.id),
    can(role, "invitations.read") ? listInvitations(supabase, org.id) : Promise.resolve([]),
  ]);
  const pending = invitations.filter((i) => i.status === "pending");
  const roles = invitableRoles(role);
  return (
    <>
      <PageHeader
        title="Members"
        description={`Who can open ${org.name}, and what each person may do.`}
        actions={
          canLeave(role) ? (
            <LeaveOrganizationButton org={org.slug} organizationName={org.name} />
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-8">
        {roles.length > 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Invite a teammate</CardTitle>
              <CardDescription>
                They get an email with a link to join. Invitations expire after 7 days.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <InviteForm org={org.slug} roles={roles} />
            </CardContent>
          </Card>
        ) : null}

        <Card>
          <CardHeader>
            <CardTitle>
              Members <span className="font-normal text-muted-foreground">({members.length})</span>
            </CardTitle>
          </CardHeader>
          <Table data-testid="members-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Member</TableHead>
                <TableHead>Role</TableHead>
                <TableHead className="hidden sm:table-cell">Joined</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.map((m) => {
                const memberRole = isRole(m.role) ? m.role : "viewer";
                const self = m.user_id === user.id;
                const allowed = {
                  changeRoleTo: self
                    ? []
                    : ROLES.filter(
                        (to) => to !== memberRole && canChangeRole(role, memberRole, to),
                      ),
                  remove: !self && canRemoveMember(role, memberRole),
                  transfer: !self && can(role, "organization.transfer"),
                };
                const any = allowed.changeRoleTo.length > 0 || allowed.remove || allowed.transfer;
                return (
                  <TableRow key={m.user_id} data-testid={`member-row-${m.email}`}>
                    <TableCell>
                      <div className="flex items-center gap-3">
                        <span
                          aria-hidden="true"
                          className="grid size-8 shrink-0 place-items-center rounded-full bg-muted text-xs font-semibold uppercase text-muted-foreground"
                        >
                          {m.email.slice(0, 1)}
                        </span>
                        <span className="min-w-0 truncate font-medium">{m.email}</span>
                        {self ? <Badge variant="outline">You</Badge> : null}
                      </div>
                    </TableCell>
                    <TableCell>
                      <Badge
                        variant={memberRole === "owner" ? "default" : "secondary"}
                        data-testid="member-role"
                      >
                        {ROLE_LABELS[memberRole]}
                      </Badge>
                    </TableCell>
                    <TableCell className="hidden text-muted-foreground sm:table-cell">
                      {formatDate(m.joined_at)}
                    </TableCell>
                    <TableCell className="w-12 text-right">
                      {any ? (
                        <MemberActions
                          org={org.slug}
                          organizationName={org.name}
                          member={{ userId: m.user_id, email: m.email, role: memberRole }}
                          allowed={allowed}
                        />
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>

        {can(role, "invitations.read") ? (
          <section aria-labelledby="pending-heading" data-testid="pending-invitations">
            <h2 id="pending-heading" className="mb-3 text-sm font-semibold">
              Pending invitations
            </h2>
            {pending.length === 0 ? (
              <EmptyState icon={MailIcon} title="No pending invitations">
                Invite a teammate above; their invitation shows here until they accept it.
              </EmptyState>
            ) : (
              <Card>
                <Table>
                  <TableHeader>
                    <TableRow className="hover:bg-transparent">
                      <TableHead>Email</TableHead>
                      <TableHead>Role</TableHead>
                      <TableHead>Expires</TableHead>
                      <TableHead>
                        <span className="sr-only">Actions</span>
                      </TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {pending.map((inv) => (
                      <TableRow key={inv.id} data-testid={`invitation-row-${inv.email}`}>
                        <TableCell className="font-medium">{inv.email}</TableCell>
                        <TableCell>
                          <Badge variant="secondary">
                            {isRole(inv.role) ? ROLE_LABELS[inv.role] : inv.role}
                          </Badge>
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          <time dateTime={inv.expires_at} title={formatDate(inv.expires_at)}>
                            {expiresIn(inv.expires_at)}
                          </time>
                        </TableCell>
                        <TableCell className="w-24 text-right">
                          {can(role, "invitations.revoke") ? (
                            <RevokeInvitationButton
                              org={org.slug}
                              invitationId={inv.id}
                              email={inv.email}
                            />
                          ) : null}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Card>
            )}
          </section>
        ) : null}
        {members.length === 1 && roles.length === 0 ? (
          <EmptyState icon={UsersIcon} title="Just you so far" />
        ) : null}
      </div>
    </>
  );
}
