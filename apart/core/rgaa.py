"""The 106 criteria of RGAA 4.1 (13 themes), each with a short title, translated when shown.

docs/accessibility.md gives each of them a status; its "Intitulé" column is the French title
below (tests/core/test_accessibility_statement.py keeps both in step).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CRITERIA: dict[str, Promise] = {
    # 1. Images
    "1.1": _("Chaque image porteuse d'information a une alternative textuelle"),
    "1.2": _("Chaque image de décoration est ignorée par les technologies d'assistance"),
    "1.3": _("L'alternative textuelle de chaque image porteuse d'information est pertinente"),
    "1.4": _("L'alternative d'une image CAPTCHA ou image-test en indique la nature et la fonction"),
    "1.5": _("Chaque CAPTCHA en image a une solution d'accès alternative"),
    "1.6": _("Chaque image porteuse d'information a, si nécessaire, une description détaillée"),
    "1.7": _("La description détaillée de chaque image est pertinente"),
    "1.8": _("Chaque image texte porteuse d'information est remplacée par du texte stylé"),
    "1.9": _("Chaque légende d'image est correctement reliée à son image"),
    # 2. Cadres
    "2.1": _("Chaque cadre a un titre de cadre"),
    "2.2": _("Le titre de chaque cadre est pertinent"),
    # 3. Couleurs
    "3.1": _("L'information n'est pas donnée uniquement par la couleur"),
    "3.2": _("Le contraste entre le texte et son arrière-plan est suffisant"),
    "3.3": _(
        "Les couleurs des composants d'interface et des éléments graphiques sont assez contrastées"
    ),
    # 4. Multimédia
    "4.1": _("Chaque média temporel pré-enregistré a, si nécessaire, une transcription textuelle"),
    "4.2": _("La transcription textuelle de chaque média temporel est pertinente"),
    "4.3": _("Chaque média synchronisé pré-enregistré a, si nécessaire, des sous-titres"),
    "4.4": _("Les sous-titres de chaque média synchronisé sont pertinents"),
    "4.5": _("Chaque média temporel pré-enregistré a, si nécessaire, une audiodescription"),
    "4.6": _("L'audiodescription de chaque média temporel est pertinente"),
    "4.7": _("Chaque média temporel est clairement identifiable"),
    "4.8": _("Chaque média non temporel a, si nécessaire, une alternative"),
    "4.9": _("L'alternative de chaque média non temporel est pertinente"),
    "4.10": _("Chaque son déclenché automatiquement est contrôlable"),
    "4.11": _(
        "Chaque média temporel est contrôlable au clavier et par tout dispositif de pointage"
    ),
    "4.12": _(
        "Chaque média non temporel est contrôlable au clavier et par tout dispositif de pointage"
    ),
    "4.13": _("Chaque média est compatible avec les technologies d'assistance"),
    # 5. Tableaux
    "5.1": _("Chaque tableau de données complexe a un résumé"),
    "5.2": _("Le résumé de chaque tableau de données complexe est pertinent"),
    "5.3": _("Le contenu linéarisé de chaque tableau de mise en forme reste compréhensible"),
    "5.4": _("Le titre de chaque tableau de données est correctement associé au tableau"),
    "5.5": _("Le titre de chaque tableau de données est pertinent"),
    "5.6": _("Les en-têtes de colonnes et de lignes sont correctement déclarés"),
    "5.7": _("Chaque cellule est associée à ses en-têtes par la technique appropriée"),
    "5.8": _("Aucun tableau de mise en forme n'utilise d'éléments propres aux tableaux de données"),
    # 6. Liens
    "6.1": _("Chaque lien est explicite"),
    "6.2": _("Chaque lien a un intitulé"),
    # 7. Scripts
    "7.1": _("Chaque script est, si nécessaire, compatible avec les technologies d'assistance"),
    "7.2": _("L'alternative de chaque script est pertinente"),
    "7.3": _("Chaque script est contrôlable au clavier et par tout dispositif de pointage"),
    "7.4": _(
        "Chaque script qui change le contexte en avertit l'utilisateur ou lui en laisse le contrôle"
    ),
    "7.5": _("Les messages de statut sont correctement restitués"),
    # 8. Éléments obligatoires
    "8.1": _("Chaque page a un type de document"),
    "8.2": _("Le code source de chaque page est valide"),
    "8.3": _("Chaque page a une langue par défaut"),
    "8.4": _("Le code de la langue par défaut est pertinent"),
    "8.5": _("Chaque page a un titre de page"),
    "8.6": _("Le titre de chaque page est pertinent"),
    "8.7": _("Chaque changement de langue est indiqué dans le code source"),
    "8.8": _("Le code de langue de chaque changement de langue est valide et pertinent"),
    "8.9": _("Les balises ne servent pas uniquement à la présentation"),
    "8.10": _("Les changements du sens de lecture sont signalés"),
    # 9. Structuration de l'information
    "9.1": _("L'information est structurée par des titres"),
    "9.2": _("La structure du document est cohérente"),
    "9.3": _("Chaque liste est correctement structurée"),
    "9.4": _("Chaque citation est correctement indiquée"),
    # 10. Présentation de l'information
    "10.1": _("La présentation est contrôlée par des feuilles de styles"),
    "10.2": _("Le contenu visible reste présent sans feuilles de styles"),
    "10.3": _("L'information reste compréhensible sans feuilles de styles"),
    "10.4": _("Le texte reste lisible avec des caractères agrandis à 200 %"),
    "10.5": _("Les couleurs de fond et de texte sont déclarées ensemble en CSS"),
    "10.6": _("Chaque lien dont la nature n'est pas évidente se distingue du texte"),
    "10.7": _("La prise de focus de chaque élément est visible"),
    "10.8": _("Les contenus cachés ont vocation à être ignorés"),
    "10.9": _("L'information n'est pas donnée uniquement par la forme, la taille ou la position"),
    "10.10": _("L'information donnée par la forme, la taille ou la position est aussi restituée"),
    "10.11": _("Le contenu se lit sans défilement horizontal à 320 px de large"),
    "10.12": _("L'espacement du texte peut être redéfini sans perte"),
    "10.13": _("Les contenus additionnels au survol ou au focus sont contrôlables"),
    "10.14": _("Les contenus additionnels affichés en CSS sont accessibles au clavier"),
    # 11. Formulaires
    "11.1": _("Chaque champ de formulaire a une étiquette"),
    "11.2": _("Chaque étiquette de champ est pertinente"),
    "11.3": _("Les étiquettes des champs de même fonction sont cohérentes"),
    "11.4": _("Chaque étiquette et son champ sont accolés"),
    "11.5": _("Les champs de même nature sont regroupés"),
    "11.6": _("Chaque regroupement de champs a une légende"),
    "11.7": _("La légende de chaque regroupement est pertinente"),
    "11.8": _("Les items de même nature d'une liste de choix sont regroupés"),
    "11.9": _("L'intitulé de chaque bouton est pertinent"),
    "11.10": _("Le contrôle de saisie est pertinent"),
    "11.11": _("Le contrôle de saisie propose des suggestions de correction"),
    "11.12": _("Les envois à conséquences juridiques ou financières sont vérifiables ou confirmés"),
    "11.13": _("La finalité d'un champ peut être déduite pour le remplissage automatique"),
    # 12. Navigation
    "12.1": _("Chaque ensemble de pages a deux systèmes de navigation différents"),
    "12.2": _("Menus et barres de navigation sont toujours au même endroit"),
    "12.3": _("La page « plan du site » est pertinente"),
    "12.4": _("La page « plan du site » est atteignable de manière identique"),
    "12.5": _("Le moteur de recherche est atteignable de manière identique"),
    "12.6": _("Les zones de regroupement de contenus sont atteignables ou évitables"),
    "12.7": _("Un lien d'évitement mène au contenu principal"),
    "12.8": _("L'ordre de tabulation est cohérent"),
    "12.9": _("La navigation ne contient pas de piège au clavier"),
    "12.10": _("Les raccourcis clavier d'une seule touche sont contrôlables"),
    "12.11": _("Les contenus additionnels à l'activation sont atteignables au clavier"),
    # 13. Consultation
    "13.1": _("L'utilisateur contrôle chaque limite de temps"),
    "13.2": _("Aucune nouvelle fenêtre ne s'ouvre sans action de l'utilisateur"),
    "13.3": _("Chaque document en téléchargement a, si nécessaire, une version accessible"),
    "13.4": _("La version accessible de chaque document offre la même information"),
    "13.5": _("Chaque contenu cryptique a une alternative"),
    "13.6": _("L'alternative de chaque contenu cryptique est pertinente"),
    "13.7": _("Les changements brusques de luminosité et les flashs sont correctement utilisés"),
    "13.8": _("Chaque contenu en mouvement ou clignotant est contrôlable"),
    "13.9": _("Le contenu se consulte quelle que soit l'orientation de l'écran"),
    "13.10": _("Les gestes complexes ont une alternative par un geste simple"),
    "13.11": _("Les actions au pointeur sur un point unique peuvent être annulées"),
    "13.12": _("Les fonctions déclenchées par un mouvement de l'appareil ont une alternative"),
}
