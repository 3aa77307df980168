import { Button } from "@/components/ui/button";
import { idleState } from "@/lib/auth/action-state";
import { signInWithProvider } from "../sign-in/actions";

function GitHubMark() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      <path d="M12 .5C5.65.5.5 5.65.5 12a11.5 11.5 0 0 0 7.86 10.92c.58.1.79-.25.79-.56v-2c-3.2.7-3.87-1.37-3.87-1.37-.52-1.33-1.28-1.68-1.28-1.68-1.04-.71.08-.7.08-.7 1.15.08 1.76 1.19 1.76 1.19 1.03 1.76 2.69 1.25 3.35.96.1-.75.4-1.25.73-1.54-2.55-.29-5.24-1.28-5.24-5.68 0-1.26.45-2.28 1.19-3.09-.12-.29-.52-1.46.11-3.05 0 0 .97-.31 3.17 1.18a11 11 0 0 1 5.77 0c2.2-1.49 3.17-1.18 3.17-1.18.63 1.59.23 2.76.11 3.05.74.81 1.19 1.83 1.19 3.09 0 4.41-2.69 5.38-5.26 5.67.41.36.78 1.06.78 2.14v3.17c0 .31.21.67.8.56A11.5 11.5 0 0 0 23.5 12C23.5 5.65 18.35.5 12 .5Z" />
    </svg>
  );
}

function GoogleMark() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path
        fill="#4285F4"
        d="M23.5 12.27c0-.85-.08-1.66-.22-2.45H12v4.63h6.45a5.5 5.5 0 0 1-2.4 3.62v3h3.88c2.27-2.09 3.57-5.17 3.57-8.8Z"
      />
      <path
        fill="#34A853"
        d="M12 24c3.24 0 5.96-1.07 7.94-2.91l-3.88-3c-1.07.72-2.45 1.15-4.06 1.15-3.12 0-5.77-2.11-6.71-4.95H1.28v3.1A12 12 0 0 0 12 24Z"
      />
      <path
        fill="#FBBC05"
        d="M5.29 14.29a7.2 7.2 0 0 1 0-4.58v-3.1H1.28a12 12 0 0 0 0 10.78l4.01-3.1Z"
      />
      <path
        fill="#EA4335"
        d="M12 4.75c1.76 0 3.34.6 4.59 1.8l3.44-3.44A11.5 11.5 0 0 0 12 0 12 12 0 0 0 1.28 6.61l4.01 3.1C6.23 6.86 8.88 4.75 12 4.75Z"
      />
    </svg>
  );
}

/**
 * "Continue with GitHub / Google": plain forms posting to a server action, so no JS is needed.
 * Shared by the sign-in and sign-up routes, so it lives in their route group.
 */
export function OAuthButtons({ next }: { next?: string }) {
  // A plain form posts FormData alone: bind the previous-state argument the guard expects. The
  // action always redirects; the state type it would return is never read by a plain form.
  const action = signInWithProvider.bind(null, idleState) as unknown as (
    formData: FormData,
  ) => Promise<void>;
  return (
    <div className="grid grid-cols-2 gap-3">
      <form action={action}>
        <input type="hidden" name="provider" value="github" />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Button type="submit" variant="outline" className="w-full" data-testid="oauth-github">
          <GitHubMark />
          GitHub
        </Button>
      </form>
      <form action={action}>
        <input type="hidden" name="provider" value="google" />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Button type="submit" variant="outline" className="w-full" data-testid="oauth-google">
          <GoogleMark />
          Google
        </Button>
      </form>
    </div>
  );
}

/** The "or" rule between provider buttons and the email form. */
export function OrDivider({ label = "or continue with email" }: { label?: string }) {
  return (
    <div className="relative my-6 text-center text-xs text-muted-foreground">
      <span aria-hidden="true" className="absolute inset-x-0 top-1/2 h-px bg-border" />
      <span className="relative bg-background px-3">{label}</span>
    </div>
  );
}
