import { authReturnRoute } from "../auth-return";

/** Email links (sign-up confirmation, password recovery) land here. */
export const GET = authReturnRoute("email");
