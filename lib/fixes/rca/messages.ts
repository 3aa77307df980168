import type { RcaSectionKey } from "./sections";

/**
 * The fixed parts of the message posted to a customer's ticket, in the ticket's language: the
 * greeting, the opening (first publication or an update), the five section headings and the
 * closing. The sections themselves are posted as the team wrote them. Written by people, for
 * customers: polite, plain, the register a support team would use in each language.
 */

export const RCA_LANGUAGES = ["en", "es", "de", "fr", "pt", "hi", "ja"] as const;
export type RcaLanguage = (typeof RCA_LANGUAGES)[number];

export interface RcaMessageParts {
  greeting: string;
  /** `{title}` is the bug's title as the team wrote it. */
  intro: string;
  /** The opening of a corrected version sent after an earlier one. */
  updateIntro: string;
  headings: Record<RcaSectionKey, string>;
  /**
   * The timeline's last line, from the deploy facts rather than the team's text: an RCA edited
   * before the deploy never had it. `{time}` is the deploy time (`formatDeployTime`).
   */
  deployed: string;
  closing: string;
}

export const RCA_MESSAGES: Record<RcaLanguage, RcaMessageParts> = {
  en: {
    greeting: "Hello,",
    intro:
      "The problem you reported, “{title}”, has been fixed, and the fix is now live. Here is what happened.",
    updateIntro:
      "We have updated our earlier explanation of “{title}”. Here is the corrected version.",
    headings: {
      customer_impact: "Impact on customers",
      timeline: "Timeline",
      root_cause: "Root cause",
      fix: "The fix",
      prevention: "Prevention",
    },
    deployed: "Fix live in production: {time}",
    closing:
      "Thank you for reporting this, and for your patience. If you still see the problem, just reply to this message and we will look into it right away.",
  },
  es: {
    greeting: "Hola:",
    intro:
      "El problema que nos comunicó, «{title}», ya está resuelto y la corrección ya está activa. A continuación le explicamos lo ocurrido.",
    updateIntro:
      "Hemos actualizado nuestra explicación anterior sobre «{title}». Esta es la versión corregida.",
    headings: {
      customer_impact: "Impacto para los clientes",
      timeline: "Cronología",
      root_cause: "Causa raíz",
      fix: "La solución",
      prevention: "Prevención",
    },
    deployed: "Corrección activa en producción: {time}",
    closing:
      "Gracias por avisarnos y por su paciencia. Si vuelve a ver el problema, responda a este mensaje y lo revisaremos de inmediato.",
  },
  de: {
    greeting: "Hallo,",
    intro:
      "Das von Ihnen gemeldete Problem „{title}“ ist behoben, und die Korrektur ist jetzt live. Hier erklären wir, was passiert ist.",
    updateIntro:
      "Wir haben unsere frühere Erklärung zu „{title}“ aktualisiert. Hier ist die korrigierte Fassung.",
    headings: {
      customer_impact: "Auswirkungen für Kunden",
      timeline: "Zeitlicher Ablauf",
      root_cause: "Ursache",
      fix: "Die Behebung",
      prevention: "Vorbeugung",
    },
    deployed: "Korrektur live geschaltet: {time}",
    closing:
      "Vielen Dank für Ihre Meldung und Ihre Geduld. Falls das Problem weiterhin auftritt, antworten Sie einfach auf diese Nachricht – wir kümmern uns sofort darum.",
  },
  fr: {
    greeting: "Bonjour,",
    intro:
      "Le problème que vous nous avez signalé, « {title} », est corrigé et le correctif est désormais en ligne. Voici ce qui s’est passé.",
    updateIntro:
      "Nous avons mis à jour notre précédente explication concernant « {title} ». En voici la version corrigée.",
    headings: {
      customer_impact: "Conséquences pour les clients",
      timeline: "Chronologie",
      root_cause: "Origine du problème",
      fix: "La correction",
      prevention: "Prévention",
    },
    deployed: "Correctif mis en production : {time}",
    closing:
      "Merci de nous l’avoir signalé et merci pour votre patience. Si le problème persiste, répondez simplement à ce message et nous nous en occuperons immédiatement.",
  },
  pt: {
    greeting: "Olá,",
    intro:
      "O problema que você relatou, “{title}”, foi corrigido, e a correção já está no ar. Veja abaixo o que aconteceu.",
    updateIntro:
      "Atualizamos nossa explicação anterior sobre “{title}”. Esta é a versão corrigida.",
    headings: {
      customer_impact: "Impacto para os clientes",
      timeline: "Linha do tempo",
      root_cause: "Causa raiz",
      fix: "A correção",
      prevention: "Prevenção",
    },
    deployed: "Correção publicada em produção: {time}",
    closing:
      "Obrigado por nos avisar e pela paciência. Se o problema continuar, basta responder a esta mensagem e vamos verificar imediatamente.",
  },
  hi: {
    greeting: "नमस्ते,",
    intro:
      "आपने जो समस्या बताई थी, “{title}”, वह ठीक कर दी गई है और यह सुधार अब लागू हो चुका है। नीचे बताया गया है कि क्या हुआ था।",
    updateIntro: "हमने “{title}” के बारे में अपनी पिछली जानकारी अपडेट की है। सुधरी हुई जानकारी नीचे दी गई है।",
    headings: {
      customer_impact: "ग्राहकों पर असर",
      timeline: "घटनाक्रम",
      root_cause: "मूल कारण",
      fix: "समाधान",
      prevention: "आगे से बचाव",
    },
    deployed: "सुधार लागू हुआ: {time}",
    closing:
      "यह समस्या बताने और धैर्य रखने के लिए धन्यवाद। अगर आपको यह समस्या फिर से दिखे, तो बस इस संदेश का जवाब दें, हम तुरंत इसकी जाँच करेंगे।",
  },
  ja: {
    greeting: "いつもご利用いただきありがとうございます。",
    intro:
      "ご報告いただいた問題「{title}」は修正され、修正内容はすでに反映されています。経緯を以下にご説明いたします。",
    updateIntro:
      "「{title}」について、先日のご説明を更新いたしました。訂正後の内容は以下のとおりです。",
    headings: {
      customer_impact: "お客様への影響",
      timeline: "経緯",
      root_cause: "根本原因",
      fix: "対応内容",
      prevention: "再発防止策",
    },
    deployed: "修正の本番環境への反映: {time}",
    closing:
      "ご報告いただき、またお待ちいただき誠にありがとうございました。問題が解消していない場合は、このメッセージにご返信ください。すぐに確認いたします。",
  },
};

/**
 * The deploy time in the ticket's language ("6 dic 2026, 09:30 UTC", "2026年12月6日 09:30 UTC"):
 * the date as the language writes it, the time in UTC, so every reader gets the same instant.
 */
export function formatDeployTime(at: Date, language: RcaLanguage): string {
  const date = at.toLocaleDateString(language === "en" ? "en-GB" : language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  return `${date}, ${at.toISOString().slice(11, 16)} UTC`;
}

/**
 * The language to post in for a ticket's language (`pt-BR`, `ES`, `ja_JP` included); English
 * when the ticket's language is unknown or not one we ship.
 */
export function rcaLanguageFor(language: string | null | undefined): RcaLanguage {
  const base = (language ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return (RCA_LANGUAGES as readonly string[]).includes(base) ? (base as RcaLanguage) : "en";
}
