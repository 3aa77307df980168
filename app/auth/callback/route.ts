import { authReturnRoute } from "../auth-return";

/** GitHub and Google sign-in return here with `?code=`. */
export const GET = authReturnRoute("oauth");
